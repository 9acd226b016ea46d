import type { Socket as EngineSocket } from "engine.io";

interface EngineInternals {
  cleanupFn?: unknown;
}

/**
 * Trims what engine.io 6.x over-allocates for every connection. Its socket pushes one
 * function onto an empty `cleanupFn` array, which gives the array room for 17 (152 bytes
 * kept by every idle connection); a copy holds just the one. engine.io only ever reads the
 * field, pushes to it and shifts from it, so a copy is the same list. Anything else in that
 * field (another engine.io version) is left alone.
 */
export function compactEngineSocket(conn: EngineSocket): void {
  const engine = conn as unknown as EngineInternals;
  if (Array.isArray(engine.cleanupFn)) engine.cleanupFn = engine.cleanupFn.slice();
}
