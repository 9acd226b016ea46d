/**
 * Alternating rounds: every round runs each row once, back to back, so that the rows share the
 * machine's state of the moment. The order flips every other round (A B, B A, A B, ...) so that
 * neither row always runs first.
 */
import type { Row } from "./result.js";

export type RoundFn<R extends string> = (row: R, round: number) => Promise<Record<string, number>>;

export interface RoundsOptions {
  rounds: number;
  log: (line: string) => void;
}

export async function alternate<R extends string>(rows: readonly R[], opts: RoundsOptions, runOne: RoundFn<R>): Promise<Row[]> {
  const out: Array<Row & { name: R }> = rows.map((name) => ({ name, samples: {} }));
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? out : [...out].reverse();
    for (const row of order) {
      const t0 = performance.now();
      const values = await runOne(row.name, round);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      for (const [key, value] of Object.entries(values)) (row.samples[key] ??= []).push(value);
      opts.log(`  round ${round + 1}/${opts.rounds} ${row.name}: ${Object.entries(values).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(" ")} (${seconds} s)`);
    }
  }
  return out;
}
