// Heap and handle measurements for leak tests. `gc()` works without --expose-gc: the flag
// is set at run time and the function taken from a fresh context (the node:test runner
// starts each file with its own execArgv, which a test cannot extend).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const collect = (globalThis as { gc?: () => void }).gc ?? (runInNewContext("gc") as () => void);

/** Runs full collections until heapUsed stops dropping; returns heapUsed in bytes. */
export async function settledHeap(): Promise<number> {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    // Let closed sockets, finalizers and nextTick queues run before collecting.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 64 * 1024) return used;
    last = used;
  }
  return last;
}

export function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(2) + " MiB";
}

/** Active resources by kind (Timeout, TCPSocketWrap, ...), as counts. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** Waits (on events, a macrotask at a time) until `predicate` holds; the timeout is a safety net. */
export async function until(predicate: () => boolean, what: string, safetyMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > safetyMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
