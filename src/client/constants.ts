// Every state, reason and wire string of the client, once. The types are string-literal
// unions derived from these values, so a typo is a compile error.

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

/** The reasons after which the server will not take the socket back by itself. */
export const NO_RECONNECT_REASONS: ReadonlySet<DisconnectReason> = new Set(["io server disconnect", "io client disconnect"]);

/** The Manager's view of its engine. */
export type ManagerState = "opening" | "open" | "closed";

/**
 * Names a user may not `emit()`: the Socket emits them itself. Derived from the same object as
 * the `SocketReservedEvents` keys, plus the component-emitter's own two.
 */
export const SOCKET_RESERVED = {
  connect: 1,
  connect_error: 1,
  disconnect: 1,
  disconnecting: 1,
  newListener: 1,
  removeListener: 1,
} as const;

export type SocketReservedName = keyof typeof SOCKET_RESERVED;

export const isReserved = (name: unknown): boolean => typeof name === "string" && Object.hasOwn(SOCKET_RESERVED, name);

/** Default Manager settings: socket.io-client's. */
export const DEFAULTS = {
  path: "/socket.io",
  timeout: 20_000,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
} as const;
