import type { IncomingMessage } from "node:http";
import type { Socket as EngineSocket } from "engine.io";

/**
 * The parts of the first HTTP request an idle connection would otherwise keep alive: its
 * stream state and event table. Everything else (headers, rawHeaders, url, method, socket,
 * `_query`, whatever `allowRequest` attached) is kept on the copy.
 */
const DROPPED = new Set(["_readableState", "_events", "_eventsCount", "_maxListeners", "rawTrailers"]);

interface EngineInternals {
  request: IncomingMessage;
  server: { middlewares?: unknown[] };
  transport?: { name: string; socket?: NodeJS.EventEmitter & { _socket?: NodeJS.EventEmitter } };
}

/**
 * Lets the first HTTP request of a connection be collected once its handshake is done: about
 * 1.4 KB per idle socket. engine.io keeps it as `conn.request`, and for a WebSocket also a
 * stand-in response (for its middlewares) that a "close" listener on the TCP socket holds,
 * which holds the request. `conn.request` (so `socket.request`) becomes a plain copy with
 * the same data: headers, url, method, socket and `connection`, and any property set on it.
 *
 * Done only when no engine middleware (`io.engine.use`) ran: those may keep the request and
 * response (express-session, passport, pino-http) and expect the real objects.
 */
export function releaseHandshakeRequest(conn: EngineSocket): void {
  const engine = conn as unknown as EngineInternals;
  const req = engine.request;
  if (!req || (engine.server.middlewares?.length ?? 0) > 0) return;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(req)) if (!DROPPED.has(key)) copy[key] = (req as unknown as Record<string, unknown>)[key];
  // Getters on IncomingMessage's prototype (parsed lazily), so not among its own keys.
  copy.headers = req.headers;
  copy.trailers = req.trailers;
  copy.connection = req.socket;
  engine.request = copy as unknown as IncomingMessage;
  dropResponseCloseListener(engine);
  dropUpgradeErrorListener(engine);
}

// A no-op (debug only) "error" listener engine.io leaves on every WebSocket it accepts; the
// transport has its own error listener once the connection is set up.
function dropUpgradeErrorListener(engine: EngineInternals): void {
  const ws = engine.transport?.name === "websocket" ? engine.transport.socket : undefined;
  if (!ws) return;
  for (const fn of ws.listeners("error")) {
    if (fn.name === "onUpgradeError") ws.removeListener("error", fn as (...a: unknown[]) => void);
  }
}

// engine.io's WebSocketResponse re-emits the TCP socket's "close" for middlewares; with none,
// nobody listens to it, and the listener is all that keeps the response and request alive.
function dropResponseCloseListener(engine: EngineInternals): void {
  if (engine.transport?.name !== "websocket") return;
  const tcp = engine.transport.socket?._socket;
  if (!tcp) return;
  for (const raw of tcp.rawListeners("close")) {
    const fn = (raw as { listener?: unknown }).listener ?? raw;
    if (String(fn) === '() => this.emit("close")') tcp.removeListener("close", raw as (...a: unknown[]) => void);
  }
}
