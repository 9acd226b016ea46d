/**
 * Codec, in-process, no network: encode + decode time of three packet shapes, rtio's
 * src/parser against socket.io-parser, with a bare JSON.stringify/JSON.parse floor row.
 * Many short rounds: one runner process per codec stays warm and they take turns.
 */
import { CASES } from "../codec/cases.js";
import { Child } from "../lib/proc.js";
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import type { Scenario } from "./scenario.js";

const METRICS: Metric[] = CASES.map((c) => ({ key: c.key, label: `encode + decode, ${c.label}`, unit: "ns", better: "lower", target: c.target }));
const ROWS = ["rtio", "socket.io", "JSON floor"];

export const codec: Scenario = {
  name: "codec",
  description: "encode + decode of a small event, an event with a 1 KiB Buffer and an ack (no network)",
  async run(ctx) {
    const sliceMs = ctx.quick ? 50 : 100;
    const rounds = ctx.rounds * 5;
    const runners = new Map<string, Child>();
    try {
      for (const row of ROWS) {
        const { child } = await Child.spawn("codec/codec-runner.ts", [row], { label: `codec (${row})` });
        runners.set(row, child);
        await child.call("run", sliceMs * 2, 60_000); // warm-up, discarded
      }
      const rows = await alternate(ROWS, { ...ctx, rounds, log: () => {} }, (row) => runners.get(row)!.call<Record<string, number>>("run", sliceMs, 60_000));
      return {
        scenario: "codec",
        description: `${rounds} rounds of ${sliceMs} ms per case and codec, after a warm-up; one warm process per codec`,
        metrics: METRICS,
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: [],
      };
    } finally {
      for (const c of runners.values()) c.kill();
    }
  },
};
