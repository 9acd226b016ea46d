import assert from "node:assert/strict";
import { test } from "node:test";
import { metricLines, type ScenarioResult } from "./result.js";
import { median, pairedRatios, quantile, summarize } from "./stats.js";

test("median and quantiles interpolate between samples", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.ok(Number.isNaN(median([])));
});

test("summarize reports min, max and quartiles of unsorted input", () => {
  assert.deepEqual(summarize([5, 1, 3]), { median: 3, min: 1, max: 5, q1: 2, q3: 4, n: 3 });
});

test("pairedRatios divides round by round and ignores unpaired rounds", () => {
  assert.deepEqual(pairedRatios([2, 3, 9], [4, 6]), [0.5, 0.5]);
});

test("metricLines judges the subject against the target in the metric's direction", () => {
  const result: ScenarioResult = {
    scenario: "s",
    description: "",
    metrics: [
      { key: "cpu", label: "cpu", unit: "ms", better: "lower", target: 0.75 },
      { key: "rate", label: "rate", unit: "/s", better: "higher", target: 1.2 },
    ],
    rows: [
      { name: "rtio", samples: { cpu: [7, 8, 9], rate: [110, 100, 90] } },
      { name: "socket.io", samples: { cpu: [10, 10, 10], rate: [100, 100, 100] } },
    ],
    baseline: "socket.io",
    subject: "rtio",
    notes: [],
  };
  const lines = metricLines(result);
  const cpu = lines.find((l) => l.metric.key === "cpu" && l.row === "rtio")!;
  const rate = lines.find((l) => l.metric.key === "rate" && l.row === "rtio")!;
  assert.equal(cpu.ratioMedian, 0.8);
  assert.equal(cpu.met, false);
  assert.equal(rate.ratioMedian, 1);
  assert.equal(rate.met, false);
  assert.equal(lines.find((l) => l.row === "socket.io")!.met, undefined);
});
