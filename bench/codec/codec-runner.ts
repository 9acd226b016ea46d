/**
 * One codec per process (so neither codec runs on JIT state the other shaped). The driver keeps
 * one runner per codec alive and asks them in turn for short timed slices of one case, so that
 * paired slices of rtio and socket.io-parser ran within a few milliseconds of each other.
 * argv: <rtio|socket.io|JSON floor>. `run({ ms, key })` replies CPU ns per encode + decode round
 * trip of case `key`, or of every case when `key` is absent (the warm-up).
 */
import { ready, serve } from "../lib/rpc.js";
import { CASES, makeCodec, type CodecImpl } from "./cases.js";

const impl = process.argv[2] as CodecImpl;
if (impl !== "rtio" && impl !== "socket.io" && impl !== "JSON floor") throw new Error(`unknown codec '${impl}'`);

const BATCH = 100;
const benches = CASES.map((c) => ({ key: c.key, codec: makeCodec(impl), packet: c.packet() }));

function timeCase(bench: (typeof benches)[number], ms: number): number {
  const before = bench.codec.roundTrip(bench.packet);
  let n = 0;
  let produced = before;
  let elapsed = 0;
  const t0 = performance.now();
  // CPU time, not wall time: on a shared machine the wall clock also counts the time this
  // process waited for a core, which says nothing about the codec.
  const cpu0 = process.cpuUsage();
  // Bounded both ways: stops at the time limit, and at 10 million trips whatever the clock says.
  while (elapsed < ms && n < 10_000_000) {
    for (let i = 0; i < BATCH; i++) produced = bench.codec.roundTrip(bench.packet);
    n += BATCH;
    elapsed = performance.now() - t0;
  }
  if (produced - before !== n) throw new Error(`codec ${impl}: ${produced - before} packets decoded for ${n} encoded`);
  const cpu = process.cpuUsage(cpu0);
  return ((cpu.user + cpu.system) * 1e3) / n;
}

serve({
  run: ({ ms, key }: { ms: number; key?: string }) =>
    Object.fromEntries(benches.filter((b) => key === undefined || b.key === key).map((b) => [b.key, timeCase(b, ms)])),
});
ready();
