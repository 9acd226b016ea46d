import { protocol } from "../parser/index.js";
import type { DefaultEventsMap, EventsMap } from "../shared/typed-events.js";
import { DEFAULTS } from "./constants.js";
import { log } from "./log.js";
import { Manager } from "./manager.js";
import type { ManagerOptions, SocketOptions } from "./options.js";
import { Socket } from "./socket.js";
import { url } from "./url.js";

const debug = log("index");

/** Managers by origin and engine path, so namespaces on one server share a connection. */
const cache = new Map<string, Manager>();

/**
 * Connects to the namespace named by the URL's path (`/` by default) of the server at the
 * URL's origin (the page's origin in a browser), reusing that server's Manager.
 * @example const socket = io("https://example.com/admin", { auth: { token } });
 */
function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  opts?: Partial<ManagerOptions & SocketOptions>,
): Socket<ListenEvents, EmitEvents>;
function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string,
  opts?: Partial<ManagerOptions & SocketOptions>,
): Socket<ListenEvents, EmitEvents>;
function lookup<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string | Partial<ManagerOptions & SocketOptions>,
  opts?: Partial<ManagerOptions & SocketOptions>,
): Socket<ListenEvents, EmitEvents> {
  if (typeof uri === "object") {
    opts = uri;
    uri = undefined;
  }
  opts ??= {};
  const parsed = url(uri, opts.path || DEFAULTS.path);
  let io = cache.get(parsed.id);
  // A second socket for a namespace the cached Manager already has gets its own connection.
  if (opts.forceNew || (opts as { "force new connection"?: boolean })["force new connection"] || opts.multiplex === false || io?._nsps.has(parsed.path)) {
    debug("new Manager for %s", parsed.source);
    io = new Manager(parsed.source, opts);
  } else if (!io) cache.set(parsed.id, (io = new Manager(parsed.source, opts)));
  if (parsed.query && !opts.query) opts.query = parsed.queryKey;
  return io.socket(parsed.path, opts) as unknown as Socket<ListenEvents, EmitEvents>;
}

// `io.Manager`, `io.Socket`, `io.io`, `io.connect`: the shape script-tag and CommonJS users expect.
const io = Object.assign(lookup, { Manager, Socket, io: lookup, connect: lookup, protocol });

export { io, io as connect, io as default, Manager, Socket, protocol };
export type { ManagerOptions, SocketOptions, ParserLike } from "./options.js";
export type { ManagerReservedEvents } from "./manager.js";
export type { DisconnectDescription, ExtendedError, SocketReservedEvents } from "./socket.js";
export type { DisconnectReason, CloseReason } from "./constants.js";
export { ClientError, isClientError, type ClientErrorCode } from "./errors.js";
export type { Timers } from "./timers.js";
export { Fetch, NodeXHR, XHR, NodeWebSocket, WebSocket, WebTransport } from "engine.io-client";
export type * from "../shared/typed-events.js";
