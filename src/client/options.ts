import type { SocketOptions as EngineOptions } from "engine.io-client";
import type { Packet } from "../parser/index.js";
import type { Timers } from "./timers.js";

/** What the `parser` option must provide: socket.io-parser's shape. */
export interface ParserLike {
  Encoder: new () => { encode(packet: Packet): unknown[] };
  Decoder: new () => DecoderLike;
}

export interface DecoderLike {
  add(chunk: any): void;
  on(event: "decoded", fn: (packet: Packet) => void): unknown;
  off(event: "decoded", fn: (packet: Packet) => void): unknown;
  destroy(): void;
}

export interface ManagerOptions extends EngineOptions {
  /**
   * Whether `io()` creates a new Manager instead of reusing the cached one for this origin.
   * @default false
   */
  forceNew: boolean;
  /**
   * Whether sockets of several namespaces share one Manager (one connection).
   * @default true
   */
  multiplex: boolean;
  /**
   * The engine.io path on the server.
   * @default "/socket.io"
   */
  path: string;
  /**
   * Whether to reconnect after the connection is lost.
   * @default true
   */
  reconnection: boolean;
  /**
   * How many reconnection tries before giving up with `reconnect_failed`.
   * @default Infinity
   */
  reconnectionAttempts: number;
  /**
   * The first reconnection delay in ms; each try doubles it, up to `reconnectionDelayMax`.
   * @default 1000
   */
  reconnectionDelay: number;
  /**
   * The longest reconnection delay in ms.
   * @default 5000
   */
  reconnectionDelayMax: number;
  /**
   * Jitter: each delay varies by up to this fraction of itself, so clients spread out.
   * @default 0.5
   */
  randomizationFactor: number;
  /**
   * Connect timeout in ms; `false` waits forever.
   * @default 20000
   */
  timeout: number | false;
  /**
   * Whether the Manager connects as soon as it is created.
   * @default true
   */
  autoConnect: boolean;
  /**
   * The packet codec; socket.io-msgpack-parser and rtio's `src/msgpack` fit.
   * @default the JSON codec of rtio/parser
   */
  parser: ParserLike;
  /**
   * rtio addition: the timer functions to use (fake timers in tests).
   * @default the global setTimeout/clearTimeout, looked up at each call
   */
  timers: Timers;
}

export interface SocketOptions {
  /**
   * Sent with every CONNECT; a function is called with a callback at each connect, so a
   * fresh token can be fetched.
   * @example io({ auth: (cb) => cb({ token: localStorage.token }) })
   */
  auth: { [key: string]: any } | ((cb: (data: object) => void) => void);
  /**
   * How many times an unacknowledged emit is retried; with it, every emit is queued and
   * delivered at least once, in order, and acks become error-first.
   * @default undefined (no queue)
   */
  retries: number;
  /**
   * The default ack timeout in ms for every emit with an ack (acks become error-first).
   * @default undefined (wait forever)
   */
  ackTimeout: number;
}
