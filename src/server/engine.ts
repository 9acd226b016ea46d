import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket as NetSocket } from "node:net";
import type { Duplex } from "node:stream";
import { Server as EngineServer } from "engine.io";
import { plainQuery } from "./query.js";
import { WebSocketConnection } from "./ws/connection.js";
import { refuse } from "./ws/engine.js";
import { WebSocketTransport } from "./ws/transport.js";

type TransportName = Parameters<EngineServer["upgrades"]>[0];
type EngineRequest = { _query: Record<string, string>; websocket?: unknown };

/**
 * engine.io's server, with rtio's transport for the WebSocket connections of rtio's own
 * WebSocket server (see ws/engine.ts); every other transport is engine.io's. The query of a
 * request is read before engine.io sees it, which it takes as given (as from `connect`).
 */
export class Engine extends EngineServer {
  override handleRequest(req: IncomingMessage, res: ServerResponse): void {
    withQuery(req);
    super.handleRequest(req, res);
  }

  override handleUpgrade(req: IncomingMessage, socket: Duplex, upgradeHead: Buffer): void {
    withQuery(req);
    if (this.refusesProtocol(req)) {
      // engine.io checks the version of a new session only after the WebSocket handshake, and
      // then writes its 400 behind the 101, where no client reads it: refuse before instead.
      const code = EngineServer.errors.UNSUPPORTED_PROTOCOL_VERSION;
      const message = EngineServer.errorMessages[code];
      this.emit("connection_error", { req, code, message, context: { protocol: 3 } });
      return refuse(socket as NetSocket, 400, message);
    }
    super.handleUpgrade(req, socket, upgradeHead);
  }

  /** A new session that asks for Engine.IO v3 (any `EIO` but "4", as engine.io reads it) without `allowEIO3`. */
  private refusesProtocol(req: IncomingMessage): boolean {
    const query = (req as IncomingMessage & { _query?: Record<string, string> })._query;
    return query !== undefined && query.sid === undefined && query.EIO !== "4" && !this.opts.allowEIO3;
  }

  protected override createTransport(name: TransportName, req: Parameters<EngineServer["handleRequest"]>[0]) {
    const request = req as unknown as EngineRequest;
    const ours = name === "websocket" && request.websocket instanceof WebSocketConnection;
    return ours
      ? new WebSocketTransport(request as { _query: Record<string, string>; websocket: WebSocketConnection })
      : super.createTransport(name, req);
  }
}

function withQuery(req: IncomingMessage): void {
  const request = req as IncomingMessage & { _query?: Record<string, string> };
  if (request._query === undefined) {
    const query = plainQuery(req.url);
    if (query !== undefined) request._query = query;
  }
}
