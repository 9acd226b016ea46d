// `npm run fuzz`: long fuzz runs of the decoder and of a live server.
//   npm run fuzz -- --seconds 300        decoder rounds until the time is up (default 60 s)
//   npm run fuzz -- --cases 1000000      or until this many decoder cases have run
//   npm run fuzz -- --server-cases 5000  fuzzed connections to a live server (default 1,000; 0 skips)
//   npm run fuzz -- --seed 42            the first seed (each round uses the next one)
// Exits non-zero if any property failed, with the seed and counterexample to replay.
import { parseArgs } from "node:util";
import { DECODER_PROPERTIES, runProperty, type FuzzOutcome } from "./properties.js";
import { fuzzServer } from "./server-fuzz.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string" },
    cases: { type: "string" },
    "server-cases": { type: "string", default: "1000" },
    seed: { type: "string" },
    round: { type: "string", default: "2000" },
  },
});

const seconds = values.seconds !== undefined ? Number(values.seconds) : values.cases !== undefined ? Infinity : 60;
const maxCases = values.cases !== undefined ? Number(values.cases) : Infinity;
const round = Number(values.round);
let seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const deadline = Date.now() + seconds * 1000;

const totals = new Map<string, number>();
const failures: FuzzOutcome[] = [];
let cases = 0;
let escaped = 0;
process.on("uncaughtException", (err) => {
  escaped++;
  console.error("uncaught exception:", err);
});

console.log(`decoder: up to ${Number.isFinite(maxCases) ? maxCases : "∞"} cases / ${Number.isFinite(seconds) ? seconds + " s" : "no time limit"}, first seed ${seed}`);
while (Date.now() < deadline && cases < maxCases) {
  for (const p of DECODER_PROPERTIES) {
    const outcome = runProperty(p, Math.min(round, maxCases - cases), seed);
    cases += outcome.cases;
    totals.set(p.name, (totals.get(p.name) ?? 0) + outcome.cases);
    if (outcome.failed) {
      failures.push(outcome);
      console.log(`FAIL ${p.name} (seed ${seed}): ${outcome.error}\n  counterexample: ${outcome.counterexample}`);
    }
    if (cases >= maxCases || Date.now() >= deadline) break;
  }
  seed = (seed + 1) % 2 ** 31;
}
for (const [name, n] of totals) console.log(`  ${name}: ${n} cases`);
console.log(`decoder: ${cases} cases, ${failures.length} failing properties`);

const serverCases = Number(values["server-cases"]);
let serverFailures = 0;
if (serverCases > 0) {
  const stats = await fuzzServer({ cases: serverCases, seed, concurrency: 16 });
  serverFailures = stats.failures.length;
  console.log(`server: ${stats.cases} fuzzed connections (seed ${stats.seed}): ${stats.closed} closed by the server, ${stats.alive} still served, ${stats.hung} hung`);
  console.log(`  disconnect reasons: ${JSON.stringify(stats.reasons)}; ${stats.appEvents} events reached the app; healthy client ticks ${stats.healthyTicks}; prototypes ${stats.polluted ? "POLLUTED" : "intact"}`);
  for (const f of stats.failures.slice(0, 20)) console.log(`  FAIL ${f}`);
}
console.log(`uncaught exceptions: ${escaped}`);
process.exit(failures.length || serverFailures || escaped ? 1 : 0);
