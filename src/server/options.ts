import type { AttachOptions, ServerOptions as EngineOptions } from "engine.io";
import type { Adapter } from "./adapter.js";
import type { Namespace } from "./namespace.js";

/** An adapter class, or a factory `(nsp) => adapter` (both forms socket.io accepts). */
export type AdapterConstructor = (new (nsp: Namespace<any, any, any, any>) => Adapter) | ((nsp: Namespace<any, any, any, any>) => Adapter);

/** A parser module: socket.io-parser's shape, e.g. socket.io-msgpack-parser. */
export interface ParserModule {
  Encoder: new () => { encode(packet: any): any[] };
  Decoder: new (opts?: any) => any;
}

export interface ConnectionStateRecoveryOptions {
  /**
   * How long a disconnected session and the packets it missed are kept.
   * @default 120000 (2 minutes)
   */
  maxDisconnectionDuration?: number;
  /**
   * Whether a recovered socket skips the connection middlewares.
   * @default true
   */
  skipMiddlewares?: boolean;
}

/** The options of `new Server()`: socket.io's, plus engine.io's passed through. */
export interface ServerOptions extends EngineOptions, AttachOptions {
  /**
   * The path to capture.
   * @default "/socket.io"
   */
  path: string;
  /**
   * Whether to serve the client bundles under `path`.
   * @default true
   */
  serveClient: boolean;
  /**
   * The adapter class or factory.
   * @default the in-memory Adapter (SessionAwareAdapter with connectionStateRecovery)
   */
  adapter: AdapterConstructor;
  /**
   * The parser module.
   * @default rtio's codec (socket.io-parser compatible)
   */
  parser: any;
  /**
   * How many ms a connection may stay without joining a namespace.
   * @default 45000
   */
  connectTimeout: number;
  /**
   * Keeps the state of disconnected sockets (id, rooms, data, missed events) so a client
   * that comes back in time resumes where it was.
   * @default undefined (off)
   */
  connectionStateRecovery: ConnectionStateRecoveryOptions;
  /**
   * Whether to remove child namespaces that have no socket left.
   * @default false
   */
  cleanupEmptyChildNamespaces: boolean;
  /**
   * The most acks one socket may wait for at a time; beyond it an emit's ack is dropped (or
   * failed, with a timeout). An rtio addition.
   * @default 10000
   */
  maxPendingAcks: number;
  /**
   * The most binary attachments an incoming packet may carry. An rtio addition.
   * @default 10
   */
  maxAttachments: number;
  /**
   * The most events kept per namespace for connection state recovery. An rtio addition.
   * @default 10000
   */
  maxRecoveryPackets: number;
  /**
   * The most disconnected sessions kept per namespace for connection state recovery; past
   * it the oldest is forgotten (that client gets a new session). An rtio addition.
   * @default 10000
   */
  maxRecoverySessions: number;
  /**
   * The most bytes that may wait to be sent to one client (engine.io's packet buffer plus the
   * WebSocket's send buffer). A client that stops reading is disconnected with the reason
   * "write buffer full" when a write would pass it, instead of the server buffering without
   * limit. 0 turns the cap off. An rtio addition.
   * @default 16 MiB
   */
  maxBufferedBytes: number;
}

/** `connectionStateRecovery` once its defaults are applied. */
export type ResolvedRecovery = Required<ConnectionStateRecoveryOptions>;
