import { Server as EngineServer } from "engine.io";
import { WebSocketConnection } from "./ws/connection.js";
import { WebSocketTransport } from "./ws/transport.js";

type TransportName = Parameters<EngineServer["upgrades"]>[0];
type EngineRequest = { _query: Record<string, string>; websocket?: unknown };

/**
 * engine.io's server, with rtio's transport for the WebSocket connections of rtio's own
 * WebSocket server (see ws/engine.ts); every other transport is engine.io's.
 */
export class Engine extends EngineServer {
  protected override createTransport(name: TransportName, req: Parameters<EngineServer["handleRequest"]>[0]) {
    const request = req as unknown as EngineRequest;
    if (name === "websocket" && request.websocket instanceof WebSocketConnection) {
      return new WebSocketTransport(request as { _query: Record<string, string>; websocket: WebSocketConnection });
    }
    return super.createTransport(name, req);
  }
}
