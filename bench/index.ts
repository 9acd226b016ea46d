/**
 * `npm run bench [-- --quick] [--only <scenario>] [--rounds <n>]`: rtio against socket.io 4.8,
 * side by side, in alternating rounds. Prints a table (medians, spread, per-round ratios) and
 * writes bench/results/latest.json and latest.md. Exits non-zero if any scenario failed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { RTIO_SUBSTITUTE_ENV } from "./lib/impl.js";
import { killAll } from "./lib/proc.js";
import { jsonRecord, markdownTable, textTable } from "./lib/report.js";
import type { ScenarioResult } from "./lib/result.js";
import { SCENARIOS } from "./scenarios/all.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    rounds: { type: "string" },
    "impl-rtio": { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench -- [--quick] [--only <scenario>]... [--rounds <n>]\nscenarios: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  process.exit(0);
}

// Development only: run the harness with socket.io standing in for rtio. Loud, and recorded.
const substitute = values["impl-rtio"];
if (substitute !== undefined) {
  if (substitute !== "socket.io") throw new Error(`--impl-rtio accepts only socket.io, got '${substitute}'`);
  process.env[RTIO_SUBSTITUTE_ENV] = substitute;
  console.log("!!! --impl-rtio=socket.io: the 'rtio' rows run socket.io. These numbers say nothing about rtio. !!!");
}

const quick = values.quick;
// Five rounds by default: on a shared machine a median of three moved verdicts near a target.
const rounds = values.rounds ? Number(values.rounds) : quick ? 2 : 5;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got '${values.rounds}'`);
const only = values.only ?? [];
const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
const selected = only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.on("exit", killAll);

/** Per scenario, a hard ceiling on top of the per-step timeouts, so a run can never hang. */
const SCENARIO_TIMEOUT_MS = quick ? 120_000 : 300_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const started = Date.now();
const results: ScenarioResult[] = [];
const failures: { scenario: string; error: string }[] = [];
const log = (line: string) => console.log(line);
for (const scenario of selected) {
  log(`\n== ${scenario.name}: ${scenario.description}`);
  const t0 = Date.now();
  try {
    const result = await withTimeout(scenario.run({ quick, rounds, log }), SCENARIO_TIMEOUT_MS, scenario.name);
    result.seconds = Math.round((Date.now() - t0) / 100) / 10;
    results.push(result);
    log(`  done in ${result.seconds} s`);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    failures.push({ scenario: scenario.name, error });
    console.error(`  FAILED: ${error}`);
  } finally {
    killAll();
  }
}

const meta = {
  command: `npm run bench${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}`,
  date: new Date(started).toISOString(),
  node: process.version,
  durationSeconds: Math.round((Date.now() - started) / 1000),
  rounds,
  quick,
  rtioSubstitutedBy: substitute ?? null,
};
console.log(`\n${textTable(results)}`);
console.log("\nratio = rtio / socket.io per round pair (median, and range over rounds); absolute values are for this machine only.");
for (const f of failures) console.log(`FAILED ${f.scenario}: ${f.error}`);
const resultsDir = new URL("./results/", import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL("latest.json", resultsDir), JSON.stringify(jsonRecord(results, failures, meta), null, 2) + "\n");
const notes = results.flatMap((r) => r.notes.map((n) => `- ${n}`));
const failed = failures.map((f) => `- FAILED ${f.scenario}: ${f.error}`);
writeFileSync(
  new URL("latest.md", resultsDir),
  [`\`${meta.command}\` — ${meta.date}, node ${meta.node}, ${rounds} rounds, ${meta.durationSeconds} s`, "", markdownTable(results), "", ...notes, ...failed, ""].join("\n"),
);
console.log(`\nwrote bench/results/latest.json and latest.md (${meta.durationSeconds} s)`);
process.exitCode = failures.length ? 1 : 0;
