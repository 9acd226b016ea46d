import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { ParsedUrlQuery } from "node:querystring";
import type { Socket as EngineSocket } from "engine.io";

/** What the server knows about how a socket connected; socket.io's `socket.handshake`. */
export interface Handshake {
  /** The headers of the first HTTP request of the connection. */
  headers: IncomingHttpHeaders;
  /** When the socket was created, as `new Date().toString()` prints it. */
  time: string;
  /** The client's IP address. */
  address: string;
  /** Whether the connection came from another origin. */
  xdomain: boolean;
  /** Whether the connection is secure (https/wss). */
  secure: boolean;
  /** When the socket was created, in milliseconds since the epoch. */
  issued: number;
  /** The URL of the first HTTP request. */
  url: string;
  /** The query of the first HTTP request. */
  query: ParsedUrlQuery;
  /** The `auth` payload the client sent with CONNECT. */
  auth: { [key: string]: any };
}

/** On an HTTP/2 request, whether its session is TLS (noted by `releaseHandshakeRequest`). */
export const kSecure = Symbol("rtio.secure");

export function buildHandshake(conn: EngineSocket, auth: { [key: string]: any }): Handshake {
  const req = conn.request as IncomingMessage & { _query?: ParsedUrlQuery; [kSecure]?: boolean };
  const issued = Date.now();
  return {
    headers: req.headers ?? {},
    time: timeString(issued),
    address: conn.remoteAddress,
    xdomain: !!req.headers?.origin,
    secure: !!(req.socket as { encrypted?: boolean } | undefined)?.encrypted || req[kSecure] === true,
    issued,
    url: req.url ?? "",
    query: req._query ?? {},
    auth,
  };
}

let cachedSecond = NaN;
let cachedTime = "";

/**
 * `new Date(ms).toString()`, made once per second: sockets that connect in the same second
 * share the string (80 bytes each otherwise), and formatting the time zone name is not free.
 */
function timeString(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedTime = new Date(ms).toString();
  }
  return cachedTime;
}
