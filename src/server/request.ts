import { IncomingMessage, type IncomingHttpHeaders } from "node:http";
import { Http2ServerRequest } from "node:http2";
import type { ParsedUrlQuery } from "node:querystring";
import type { Socket as EngineSocket } from "engine.io";
import { kSecure } from "./handshake.js";
import { intern } from "./intern.js";

/**
 * The parts of the first HTTP request an idle connection would otherwise keep alive: its
 * stream state, event table and engine.io's cleanup closure. Everything else (headers,
 * rawHeaders, url, method, socket, `_query`, whatever `allowRequest` attached) is kept on the copy.
 */
const DROPPED = new Set([
  "_readableState",
  "_events",
  "_eventsCount",
  "_maxListeners",
  "rawTrailers",
  // engine.io's polling transport hangs a closure on each request it answers; it calls the one
  // of its own current request, never the copy's, and the closure holds the request and the
  // transport (after an upgrade to WebSocket, the whole polling transport).
  "cleanup",
]);

/** Header values that differ on every connection: not worth a place in the intern table. */
const UNIQUE_HEADERS = new Set(["sec-websocket-key", "cookie", "authorization"]);
const UNIQUE_HEADER_LENGTHS = new Set([...UNIQUE_HEADERS].map((name) => name.length));
/** Query parameters that differ on every request (the polling cache buster, the session id). */
const UNIQUE_QUERY = new Set(["t", "sid"]);

const kTrailers = Symbol("trailers");

interface EngineInternals {
  request: IncomingMessage & { _query?: ParsedUrlQuery };
  server: { middlewares?: unknown[] };
  transport?: { name: string; socket?: NodeJS.EventEmitter & { _socket?: NodeJS.EventEmitter } };
}

/**
 * What `socket.request` becomes: the request's own data, copied. Like IncomingMessage,
 * `trailers` comes from the prototype (empty, made on first read) rather than being an own
 * property, so an idle socket does not keep an empty object for it.
 */
class ReleasedRequest {
  declare headers: IncomingHttpHeaders;
  declare connection: unknown;
  // A symbol, as IncomingMessage keeps its own: the copy's keys stay those of the request.
  declare [kTrailers]: NodeJS.Dict<string> | undefined;

  get trailers(): NodeJS.Dict<string> {
    return (this[kTrailers] ??= {});
  }

  set trailers(value: NodeJS.Dict<string>) {
    this[kTrailers] = value;
  }
}

/**
 * Lets the first HTTP request of a connection be collected once its handshake is done: about
 * 1.4 KB per idle socket. engine.io keeps it as `conn.request`, and for a WebSocket also a
 * stand-in response (for its middlewares) that a "close" listener on the TCP socket holds,
 * which holds the request. `conn.request` (so `socket.request`) becomes a plain copy with
 * the same data: headers, url, method, socket and `connection`, and any property set on it.
 * Its strings that other connections repeat (header names, common values, the URL) are shared.
 *
 * Done only when no engine middleware (`io.engine.use`) ran: those may keep the request and
 * response (express-session, passport, pino-http) and expect the real objects.
 */
export function releaseHandshakeRequest(conn: EngineSocket): void {
  const engine = conn as unknown as EngineInternals;
  const req = engine.request;
  if (!req) return;
  // An HTTP/2 request's socket (a proxy over its stream) stops telling whether the session is
  // TLS once the stream has ended: note it now, while engine.io's handshake holds it open.
  if (req instanceof Http2ServerRequest) (req as Http2ServerRequest & { [kSecure]?: boolean })[kSecure] = req.stream.session?.encrypted === true;
  // Only Node's HTTP/1 request is shared and copied. Any other kind is kept whole, as socket.io
  // keeps every request: HTTP/2's reads its URL, method and version through getters over its
  // stream (a copy of its own keys would lose them), and engine.io's uServer makes its own for
  // uWebSockets.js, without rawHeaders.
  if (!(req instanceof IncomingMessage)) return;
  shareRequestStrings(req);
  // The real request is kept too when a middleware may hold it.
  if ((engine.server.middlewares?.length ?? 0) > 0) return;
  const copy = new ReleasedRequest() as unknown as Record<string, unknown>;
  for (const key of Object.keys(req)) if (!DROPPED.has(key)) copy[key] = (req as unknown as Record<string, unknown>)[key];
  // Getters on IncomingMessage's prototype (parsed lazily), so not among its own keys.
  copy.headers = req.headers;
  copy.connection = req.socket;
  engine.request = copy as unknown as IncomingMessage;
  dropUpgradeLeftovers(engine);
  // A polling session's upgrade request is held the same way, by its WebSocket's TCP socket.
  if (engine.transport?.name === "polling") conn.once("upgrade", () => dropUpgradeLeftovers(engine));
}

/** Replaces the request's repeated strings by the shared copies (equal strings: nothing else changes). */
function shareRequestStrings(req: IncomingMessage & { _query?: ParsedUrlQuery }): void {
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    raw[i] = intern(name);
    if (!isUniqueHeader(name)) raw[i + 1] = intern(raw[i + 1]!);
  }
  const headers = req.headers as Record<string, unknown>;
  for (const key in headers) {
    const value = headers[key];
    if (typeof value === "string" && !UNIQUE_HEADERS.has(key)) headers[key] = intern(value);
  }
  if (typeof req.url === "string") req.url = intern(req.url);
  if (typeof req.httpVersion === "string") req.httpVersion = intern(req.httpVersion);
  const query = req._query as Record<string, unknown> | undefined;
  for (const key in query) {
    const value = query[key];
    if (typeof value === "string" && !UNIQUE_QUERY.has(key)) query[key] = intern(value);
  }
}

function isUniqueHeader(name: string): boolean {
  return UNIQUE_HEADER_LENGTHS.has(name.length) && UNIQUE_HEADERS.has(name.toLowerCase());
}

/**
 * What engine.io leaves on a WebSocket it accepted (directly, or as a polling session's
 * upgrade) that only a middleware could need; called only when none ran:
 * - the "close" listener on the TCP socket by which its stand-in response (WebSocketResponse)
 *   re-emits "close" for middlewares. Nobody else listens to that response, and the listener is
 *   all that keeps it and the upgrade request alive;
 * - a no-op (debug only) "error" listener on the WebSocket; the transport has its own.
 */
function dropUpgradeLeftovers(engine: EngineInternals): void {
  const ws = engine.transport?.name === "websocket" ? engine.transport.socket : undefined;
  if (!ws) return;
  const tcp = ws._socket;
  if (tcp) {
    for (const raw of tcp.rawListeners("close")) {
      // engine.io adds it with once(): a wrapper around an unnamed arrow. Only such a listener is
      // turned into source text to be told apart (Node's and rtio's own are named, and added with on()).
      const fn = (raw as { listener?: unknown }).listener;
      if (typeof fn !== "function" || fn.name !== "") continue;
      if (String(fn) === '() => this.emit("close")') tcp.removeListener("close", raw as (...a: unknown[]) => void);
    }
  }
  for (const fn of ws.listeners("error")) {
    if (fn.name === "onUpgradeError") ws.removeListener("error", fn as (...a: unknown[]) => void);
  }
  // Node's EventEmitter gives an emptied emitter a fresh listener table (~180 bytes), and
  // equally accepts none until the next listener, as our own emitters start (typed-emitter.ts).
  const table = ws as unknown as { _events: object | undefined; _eventsCount?: number };
  if (table._eventsCount === 0) table._events = undefined;
}
