// Every wire string and every state/reason of the server, once.
import { RESERVED_EVENTS } from "../parser/index.js";

/** Why a server-side Socket disconnected; the same strings as socket.io 4.8. */
export type DisconnectReason =
  | "transport error"
  | "transport close"
  | "forced close"
  | "ping timeout"
  | "parse error"
  | "server shutting down"
  | "forced server close"
  | "server namespace disconnect"
  | "client namespace disconnect"
  /**
   * rtio's own: the client stopped reading and more than `maxBufferedBytes` waited for it,
   * so the server dropped them and closed the connection rather than grow without limit.
   */
  | "write buffer full";

/**
 * Reasons after which a session is kept for connection state recovery: the client did not
 * leave on purpose, so it is expected back.
 */
export const RECOVERABLE_DISCONNECT_REASONS: ReadonlySet<DisconnectReason> = new Set<DisconnectReason>([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "server shutting down",
  "forced server close",
  // The client fell behind rather than left: it reconnects, and recovery replays what it lost.
  "write buffer full",
]);

/**
 * Event names an app can never emit to a client, and that a client can never make the app
 * receive: the server emits them itself. `error` is refused from clients too, because an
 * unhandled `error` event throws. The codec's list, so the two halves and the wire agree.
 */
export const SOCKET_RESERVED_EVENTS: ReadonlySet<string> = RESERVED_EVENTS;

/** Incoming event names that never reach the app's listeners. */
export const INCOMING_RESERVED_EVENTS: ReadonlySet<string> = new Set([...SOCKET_RESERVED_EVENTS, "error"]);

export const MESSAGES = {
  invalidNamespace: "Invalid namespace",
  timeout: "operation has timed out",
  disconnected: "socket has been disconnected",
  tooManyAcks: "too many pending acknowledgements",
  serverClosed: "server shutting down",
} as const;

export const DEFAULTS = {
  path: "/socket.io",
  connectTimeout: 45_000,
  maxDisconnectionDuration: 2 * 60 * 1000,
  /** Pending acks one socket may hold: a client that never answers must not grow the heap without bound. */
  maxPendingAcks: 10_000,
  /** Packets kept per namespace for connection state recovery. */
  maxRecoveryPackets: 10_000,
  /** Disconnected sessions kept per namespace for recovery; the oldest goes first. */
  maxRecoverySessions: 10_000,
  maxAttachments: 10,
  /** Bytes waiting for one client that stopped reading before it is disconnected ("write buffer full"). */
  maxBufferedBytes: 16 * 1024 * 1024,
} as const;

/** Engine.IO close reasons, mapped one to one onto socket reasons. */
export type EngineCloseReason = "transport error" | "transport close" | "forced close" | "ping timeout" | "parse error";
