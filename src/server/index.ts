// rtio/server: a Socket.IO 4.x server on engine.io, API- and wire-compatible with socket.io.
import { Server } from "./server.js";
export type { ServerInstance, ParentNspNameMatchFn } from "./server.js";

export { Server };
export default Server;
export { Namespace, type NamespaceReservedEventsMap, type ServerReservedEventsMap } from "./namespace.js";
export { ParentNamespace } from "./parent-namespace.js";
export { Socket, type Event, type SocketReservedEventsMap } from "./socket.js";
export { BroadcastOperator, RemoteSocket } from "./broadcast-operator.js";
export {
  Adapter,
  type BroadcastFlags,
  type BroadcastOptions,
  type Room,
  type SocketId,
  type PrivateSessionId,
  type Session,
} from "./adapter.js";
export { SessionAwareAdapter } from "./recovery.js";
export type { ServerOptions, AdapterConstructor, ConnectionStateRecoveryOptions } from "./options.js";
export type { DisconnectReason } from "./constants.js";
export { ServerError, isServerError, type ExtendedError, type ServerErrorCode } from "./errors.js";
export type { Handshake } from "./handshake.js";
export type { Client } from "./client.js";
export type { DefaultEventsMap, EventsMap } from "../shared/typed-events.js";
export { protocol } from "../parser/index.js";
