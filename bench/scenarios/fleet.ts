/** Helpers the network scenarios share: start servers and load generators, wait for frames. */
import { Child } from "../lib/proc.js";
import { sourceOf, type ServerImpl } from "../lib/impl.js";

export interface Counts {
  text: number;
  binary: number;
}

export async function startServer(script: string, impl: ServerImpl, extra: string[] = []): Promise<{ server: Child; port: number }> {
  const { child, info } = await Child.spawn<{ port: number; source: string }>(script, [impl, ...extra], { label: `${script} (${impl})` });
  // Belt and braces against a silent substitution: the child says what it actually loaded.
  if (info.source !== sourceOf(impl)) {
    child.kill();
    throw new Error(`${script} (${impl}) loaded ${info.source}, expected ${sourceOf(impl)}`);
  }
  return { server: child, port: info.port };
}

/**
 * One server per row, started together before any measuring and kept for the whole scenario:
 * process starts dominate a short run otherwise. Rounds connect and close their own clients.
 */
export async function startServers<R extends ServerImpl>(rows: readonly R[], script: string, extra: string[] = []): Promise<Map<R, { server: Child; port: number }>> {
  const list = await startServerList(rows, script, extra);
  return new Map(rows.map((row, i) => [row, list[i]!]));
}

/** Starts one server per entry of `impls` (which may repeat), all or none. */
export async function startServerList(impls: readonly ServerImpl[], script: string, extra: string[] = []): Promise<Array<{ server: Child; port: number }>> {
  const started = await Promise.allSettled(impls.map((impl) => startServer(script, impl, extra)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  if (failed) {
    for (const s of ok) s.server.kill();
    throw failed.reason;
  }
  return ok;
}

export async function startLoadgens(count: number, label = "load generator"): Promise<Child[]> {
  const spawned = await Promise.all(
    Array.from({ length: count }, (_, i) => Child.spawn("loadgen/raw-clients.ts", [], { label: `${label} ${i + 1}` })),
  );
  return spawned.map((s) => s.child);
}

/** Splits `total` connections over the load generators and opens them; returns the wall time. */
export async function connectAll(loadgens: Child[], port: number, total: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  await Promise.all(
    loadgens.map((lg, i) => {
      const count = Math.floor(total / loadgens.length) + (i < total % loadgens.length ? 1 : 0);
      return lg.call("connect", { port, count, concurrency: 50, timeoutMs }, timeoutMs + 5_000);
    }),
  );
  return performance.now() - start;
}

export async function resetCounts(loadgens: Child[], trackLatency = false): Promise<void> {
  await Promise.all(loadgens.map((lg) => lg.call("reset", trackLatency)));
}

/**
 * Polls the load generators until exactly `expected` frames have arrived in total: fails on a
 * surplus at once and on a shortfall after `timeoutMs`, naming both counts.
 */
export async function waitForFrames(loadgens: Child[], expected: Counts, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(loadgens.map((lg) => lg.call<Counts>("counts")));
    const got = all.reduce((a, c) => ({ text: a.text + c.text, binary: a.binary + c.binary }), { text: 0, binary: 0 });
    const detail = `got ${got.text} text + ${got.binary} binary frames, expected ${expected.text} + ${expected.binary}`;
    if (got.text > expected.text || got.binary > expected.binary) throw new Error(`${what}: more frames than sent: ${detail}`);
    if (got.text === expected.text && got.binary === expected.binary) return;
    if (performance.now() > deadline) throw new Error(`${what}: frames missing after ${timeoutMs} ms: ${detail}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the server counts exactly `expected` clients (disconnects land asynchronously). */
export async function expectConnected(server: Child, expected: number, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const n = await server.call<number>("connected");
    if (n === expected) return;
    if (performance.now() > deadline) throw new Error(`${what}: server sees ${n} connected clients, expected ${expected}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Ends a round: the load generators drop their clients and the server sees them gone. */
export async function endRound(server: Child, clients: Child[], what: string): Promise<void> {
  await Promise.all(clients.map((c) => c.call("close")));
  await expectConnected(server, 0, `${what} (after closing the round's clients)`);
}

/** Closes clients first (so the server sees orderly disconnects), then kills everything. */
export async function shutdown(children: Child[]): Promise<void> {
  await Promise.allSettled(children.map((c) => c.call("close", null, 10_000)));
  for (const c of children) c.kill();
}
