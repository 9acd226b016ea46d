import type { ManagerOptions } from "./options.js";

// The client's states, reasons and defaults, once, as string-literal unions and constants:
// a misspelt reason is a compile error.

/** Why a namespace socket disconnected; socket.io-client's exact strings. */
export type DisconnectReason =
  | "io server disconnect"
  | "io client disconnect"
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "parse error";

/** Why the Manager's engine closed (the socket's reasons, plus one for `Manager` teardown). */
export type CloseReason = Exclude<DisconnectReason, "io server disconnect" | "io client disconnect"> | "forced close";

/** The Manager's view of its engine. */
export type ManagerState = "opening" | "open" | "closed";

/** Default Manager settings: socket.io-client's. */
export const DEFAULTS = {
  path: "/socket.io",
  reconnection: true,
  reconnectionAttempts: Infinity,
  timeout: 20_000,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
} as const satisfies Partial<ManagerOptions>;

/** A setting as it is now: the one in `opts`, else socket.io-client's default. */
export function setting<K extends keyof typeof DEFAULTS>(opts: Partial<ManagerOptions>, key: K): ManagerOptions[K] {
  return (opts[key] ?? DEFAULTS[key]) as ManagerOptions[K];
}
