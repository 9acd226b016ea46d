import * as server from "../dist/lib/server/index.js";

/** Creates a Server, as `require("socket.io")(srv, opts)` does. */
declare function rtio(opts?: Partial<server.ServerOptions>): server.Server;
declare function rtio(srv?: server.ServerInstance | number, opts?: Partial<server.ServerOptions>): server.Server;

declare namespace rtio {
  export import Server = server.Server;
  export import Namespace = server.Namespace;
  export import ParentNamespace = server.ParentNamespace;
  export import Socket = server.Socket;
  export import BroadcastOperator = server.BroadcastOperator;
  export import RemoteSocket = server.RemoteSocket;
  export import Adapter = server.Adapter;
  export import SessionAwareAdapter = server.SessionAwareAdapter;
  export import ServerError = server.ServerError;
  export import isServerError = server.isServerError;
  export import protocol = server.protocol;
  export type ServerOptions = server.ServerOptions;
  export type DisconnectReason = server.DisconnectReason;
  export type ExtendedError = server.ExtendedError;
  export type Event = server.Event;
  export type Handshake = server.Handshake;
  export type Room = server.Room;
  export type SocketId = server.SocketId;
  export type DefaultEventsMap = server.DefaultEventsMap;
  export type EventsMap = server.EventsMap;
}

export = rtio;
