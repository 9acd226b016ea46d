import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Socket as NetSocket } from "node:net";
import { carriesConnection, WebSocketConnection } from "./connection.js";
import { checkUpgrade, refusal, switchingProtocols } from "./handshake.js";

/** The options engine.io passes to its `wsEngine`. */
export interface WebSocketEngineOptions {
  noServer?: boolean;
  clientTracking?: boolean;
  perMessageDeflate?: unknown;
  /** The largest message a client may send, in bytes (engine.io's `maxHttpBufferSize`); 0 for no limit. */
  maxPayload?: number;
}

/**
 * rtio's WebSocket server for engine.io (its `wsEngine` option): the opening handshake and
 * `WebSocketConnection`s, with the API of `ws`'s server in `noServer` mode that engine.io
 * uses (`handleUpgrade`, `close`, the `headers` event). It does not negotiate
 * permessage-deflate: with `perMessageDeflate` set, rtio gives engine.io `ws` instead.
 */
export class WebSocketEngine extends EventEmitter {
  private readonly maxPayload: number;
  private closed = false;

  constructor(options: WebSocketEngineOptions = {}) {
    super();
    if (options.perMessageDeflate) throw new Error("rtio's WebSocket engine does not negotiate permessage-deflate; use ws's Server as wsEngine");
    this.maxPayload = options.maxPayload ?? 100 * 1024 * 1024;
  }

  /**
   * Completes the opening handshake on `socket` and calls `cb` with the connection; a request
   * that is not a valid handshake gets an HTTP error response and its socket is closed.
   */
  handleUpgrade(req: IncomingMessage, socket: NetSocket, head: Buffer, cb: (ws: WebSocketConnection, req: IncomingMessage) => void): void {
    socket.on("error", onHandshakeError);
    const check = checkUpgrade(req);
    if (!check.ok) return refuse(socket, check.status, check.message, check.headers);
    if (carriesConnection(socket)) {
      throw new Error("server.handleUpgrade() was called more than once with the same socket, possibly due to a misconfiguration");
    }
    if (!socket.readable || !socket.writable) {
      socket.destroy();
      return;
    }
    if (this.closed) return refuse(socket, 503);
    const lines = switchingProtocols(check.key, check.protocol);
    // engine.io adds its own headers (cookie, `headers` and `initial_headers` listeners) here.
    this.emit("headers", lines, req);
    lines.push("", "");
    // The 101 and engine.io's open packet leave in one write: engine.io sends the packet after
    // awaiting the session id, a microtask queued before the uncork below.
    socket.cork();
    socket.write(lines.join("\r\n"));
    socket.removeListener("error", onHandshakeError);
    try {
      cb(new WebSocketConnection(socket, head, this.maxPayload, check.protocol), req);
    } finally {
      queueMicrotask(() => socket.uncork());
    }
  }

  /** Refuses upgrades from now on; open connections are engine.io's to close. */
  close(cb?: (err?: Error) => void): void {
    this.closed = true;
    process.nextTick(() => {
      this.emit("close");
      cb?.();
    });
  }
}

/** Answers an upgrade request with an HTTP error and closes its socket once that is written. */
export function refuse(socket: NetSocket, status: number, message?: string, headers?: Record<string, string>): void {
  socket.once("finish", socket.destroy);
  socket.end(refusal(status, message, headers));
}

// The client may reset the connection mid-handshake; that only ends this socket.
function onHandshakeError(this: NetSocket): void {
  this.destroy();
}
