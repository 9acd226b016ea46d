import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { Server as EngineServer } from "engine.io";
import { plainQuery } from "./query.js";
import { WebSocketConnection } from "./ws/connection.js";
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
    super.handleUpgrade(req, socket, upgradeHead);
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
