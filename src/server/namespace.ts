import createDebug from "debug";
import type {
  AllButLast,
  DecorateAcknowledgements,
  DecorateAcknowledgementsWithMultipleResponses,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  RemoveAcknowledgements,
} from "../shared/typed-events.js";
import type { Adapter, Room, SocketId } from "./adapter.js";
import { BroadcastOperator, type AckCollector, type RemoteSocket } from "./broadcast-operator.js";
import type { Client } from "./client.js";
import { assertNotReserved, type ExtendedError } from "./errors.js";
import { runMiddlewares } from "./middleware.js";
import type { Server } from "./server.js";
import { Socket } from "./socket.js";
import { StrictEventEmitter } from "./typed-emitter.js";

const debug = createDebug("rtio:server:namespace");

export interface NamespaceReservedEventsMap<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> {
  connect: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
  connection: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
}

export type ServerReservedEventsMap<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> = NamespaceReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData> & {
  new_namespace: (namespace: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
};

/** A connection middleware: call `next()` to accept, `next(err)` to refuse with CONNECT_ERROR. */
export type NamespaceMiddleware<ListenEvents extends EventsMap, EmitEvents extends EventsMap, ServerSideEvents extends EventsMap, SocketData> = (
  socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  next: (err?: ExtendedError) => void,
) => void;

/**
 * A communication channel over the shared connections: its own sockets, middlewares, rooms
 * (through its adapter) and events. `io.of("/chat")`.
 */
export class Namespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> extends StrictEventEmitter<
  ServerSideEvents,
  RemoveAcknowledgements<EmitEvents>,
  NamespaceReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
> {
  readonly name: string;
  /** The connected sockets, by id. */
  readonly sockets: Map<SocketId, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = new Map();
  adapter!: Adapter;
  readonly server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** @internal The ack id counter, shared by every socket of the namespace (and by adapters). */
  _ids = 0;
  /** @internal */
  _fns: Array<NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = [];
  /** @internal Broadcasts still waiting for acks; failed when the server closes. */
  readonly _pendingAcks: Set<AckCollector> = new Set();
  /** @internal Called when the last socket left; set for child namespaces that clean up. */
  _onEmpty: (() => void) | undefined;

  constructor(server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, name: string) {
    super();
    this.server = server;
    this.name = name;
    this._initAdapter();
  }

  /** @internal */
  _initAdapter(): void {
    this.adapter = this.server._createAdapter(this);
    Promise.resolve(this.adapter.init()).catch((err: Error) => debug("adapter init failed: %s", err?.message));
  }

  /**
   * Adds a connection middleware.
   * @example io.use((socket, next) => (socket.handshake.auth.token ? next() : next(new Error("unauthorized"))));
   */
  use(fn: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this._fns.push(fn);
    return this;
  }

  /** @internal A client asks to join: recover or create its socket, run the middlewares, connect. */
  async _add(
    client: Client,
    auth: Record<string, unknown>,
    onConnected: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Promise<void> {
    const recovery = this.server._opts.connectionStateRecovery;
    // Without recovery there is nothing to look up: no await, so no extra microtask per connection.
    const socket = recovery ? await this.restoreOrCreateSocket(client, auth) : new Socket(this, client, auth);
    if (recovery && recovery.skipMiddlewares && socket.recovered && client.conn.readyState === "open") {
      return this.doConnect(socket, onConnected);
    }
    const err = await new Promise<ExtendedError | undefined>((resolve) =>
      // Decided on the next tick, as socket.io does: listeners added in the same tick see the outcome.
      runMiddlewares(this._fns.slice(), socket, (e) => process.nextTick(resolve, e)),
    );
    if (client.conn.readyState !== "open") return debug("connection closed during the middlewares");
    if (err) {
      debug("middleware refused %s: %s", socket.id, err.message);
      if (client.conn.protocol === 3) return socket._error(err.data || err.message);
      return socket._error(err.data === undefined ? { message: err.message } : { message: err.message, data: err.data });
    }
    this.doConnect(socket, onConnected);
  }

  private async restoreOrCreateSocket(client: Client, auth: Record<string, unknown>): Promise<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    const { pid, offset } = auth;
    if (typeof pid === "string" && typeof offset === "string") {
      try {
        const session = await this.adapter.restoreSession(pid, offset);
        if (session) return new Socket(this, client, auth, session);
      } catch (err) {
        debug("session restore failed: %s", (err as Error)?.message);
      }
    }
    return new Socket(this, client, auth);
  }

  private doConnect(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    onConnected: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): void {
    this.sockets.set(socket.id, socket);
    socket._onconnect();
    onConnected(socket);
    this.emitReserved("connect", socket);
    this.emitReserved("connection", socket);
  }

  /** @internal */
  _remove(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (this.sockets.get(socket.id) !== socket) return;
    this.sockets.delete(socket.id);
    if (this.sockets.size === 0) this._onEmpty?.();
  }

  /** @internal */
  _emitNewNamespace(nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.emitUntyped("new_namespace", nsp);
  }

  /** @internal An event sent by another server with `serverSideEmit`. */
  _onServerSideEmit(args: [string, ...any[]]): void {
    this.emitUntyped(...args);
  }

  private operator(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return new BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData>(this.adapter);
  }

  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().to(room);
  }

  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().in(room);
  }

  except(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().except(room);
  }

  compress(compress: boolean): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().compress(compress);
  }

  get volatile(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().volatile;
  }

  get local(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().local;
  }

  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>>, SocketData> {
    return this.operator().timeout(timeout);
  }

  /** Sends an event to every socket of the namespace. */
  override emit<Ev extends EventNames<RemoveAcknowledgements<EmitEvents>>>(
    ev: Ev,
    ...args: EventParams<RemoveAcknowledgements<EmitEvents>, Ev>
  ): boolean {
    return (this.operator().emit as (ev: string, ...a: unknown[]) => boolean)(ev as string, ...args);
  }

  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    const emit = this.operator().emitWithAck as (ev: string, ...a: unknown[]) => Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>>;
    return emit.call(this.operator(), ev as string, ...args);
  }

  send(...args: EventParams<EmitEvents, "message">): this {
    (this.operator().emit as (ev: string, ...a: unknown[]) => boolean)("message", ...args);
    return this;
  }

  write(...args: EventParams<EmitEvents, "message">): this {
    return this.send(...args);
  }

  /**
   * Sends an event to the other servers of the cluster; a last function argument gets
   * `(err, replies)`.
   */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(ev: Ev, ...args: EventParams<ServerSideEvents, Ev>): boolean {
    assertNotReserved(ev);
    this.adapter.serverSideEmit([ev, ...args]);
    return true;
  }

  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return new Promise((resolve, reject) => {
      const ack = (err: unknown, replies: FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]) =>
        err ? reject(err) : resolve(replies);
      (this.serverSideEmit as (ev: string, ...a: unknown[]) => boolean)(ev as string, ...args, ack);
    });
  }

  /** The ids of every socket of the namespace. */
  allSockets(): Promise<Set<SocketId>> {
    return this.operator().allSockets();
  }

  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).fetchSockets();
  }

  socketsJoin(room: Room | Room[]): void {
    this.operator().socketsJoin(room);
  }

  socketsLeave(room: Room | Room[]): void {
    this.operator().socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    this.operator().disconnectSockets(close);
  }
}
