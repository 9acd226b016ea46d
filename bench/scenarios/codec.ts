/**
 * Codec, in-process, no network: encode + decode time of three packet shapes, rtio's
 * src/parser against socket.io-parser, with a bare JSON.stringify/JSON.parse floor row.
 * One runner process per codec stays warm, all pinned to one CPU. Each round times one case in
 * every runner, back to back, for a short slice each, so a pair of slices ran on the same core
 * a few milliseconds apart. Single rounds still swing widely on a shared machine (the range
 * column), but the medians hold: six runs stayed within 0.04 per case, where timing all cases
 * per call on unpinned runners gave medians from 0.72 to 0.83 for the same code.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { CASES } from "../codec/cases.js";
import { Child } from "../lib/proc.js";
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import type { Scenario } from "./scenario.js";

const METRICS: Metric[] = CASES.map((c) => ({ key: c.key, label: `encode + decode, ${c.label}`, unit: "ns", better: "lower", target: c.target }));
const ROWS = ["rtio", "socket.io", "JSON floor"];

/**
 * Pins every thread of `child` to the machine's last CPU (Linux `taskset`): the runners take
 * turns on one core instead of landing on whichever core is free at the time. Returns false
 * where that cannot be done; the run goes on unpinned and says so in its notes.
 */
function pinToLastCpu(child: Child): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(availableParallelism() - 1), String(child.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const codec: Scenario = {
  name: "codec",
  description: "encode + decode of a small event, an event with a 1 KiB Buffer and an ack (no network)",
  async run(ctx) {
    const sliceMs = 20;
    const rounds = ctx.quick ? 20 : ctx.rounds * 20;
    const runners = new Map<string, Child>();
    let pinned = true;
    try {
      for (const row of ROWS) {
        const { child } = await Child.spawn("codec/codec-runner.ts", [row], { label: `codec (${row})` });
        runners.set(row, child);
        pinned &&= pinToLastCpu(child);
        await child.call("run", { ms: 300 }, 60_000); // warm-up of every case, discarded
      }
      // Case by case: alternate() pairs the rows' slices of one case within a round.
      const rows = ROWS.map((name) => ({ name, samples: {} as Record<string, number[]> }));
      for (const { key } of CASES) {
        const byCase = await alternate(ROWS, { ...ctx, rounds, log: () => {} }, (row) => runners.get(row)!.call<Record<string, number>>("run", { ms: sliceMs, key }, 60_000));
        for (const [i, row] of byCase.entries()) rows[i]!.samples[key] = row.samples[key]!;
      }
      return {
        scenario: "codec",
        description: `${rounds} rounds per case of one ${sliceMs} ms slice per codec, the codecs back to back; one warm process per codec`,
        metrics: METRICS,
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: pinned ? [] : ["the runners could not be pinned to one CPU (no taskset): expect a wider spread"],
      };
    } finally {
      for (const c of runners.values()) c.kill();
    }
  },
};
