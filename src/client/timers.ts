// Timers looked up at call time (not at module load), so node:test's mock.timers and other
// fakes installed after import still apply; `unref` lets a Node process exit while a client
// merely waits to reconnect.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Runs `fn` once after `ms`, and returns the function that cancels it. */
export type Later = (fn: () => void, ms: number) => () => void;

/**
 * A Manager's one way to start timers: on its `timers` (the global ones, as they are at each
 * call, by default), unref'd with `autoUnref`.
 */
export function later(timers?: Timers, unref?: boolean): Later {
  return (fn, ms) => {
    const t = timers ?? (globalThis as unknown as Timers);
    const handle = t.setTimeout(fn, ms);
    if (unref) (handle as { unref?: () => void } | null)?.unref?.();
    return () => t.clearTimeout(handle);
  };
}
