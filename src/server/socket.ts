import { randomFillSync } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Socket as EngineSocket } from "engine.io";
import createDebug from "debug";
import { PacketType, type Packet } from "../parser/index.js";
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
} from "../shared/typed-events.js";
import { cancelAcks, timedAck, type AckFn } from "./acks.js";
import type { Adapter, BroadcastFlags, Room, Session, SocketId } from "./adapter.js";
import { CatchAllEmitter } from "./any-listeners.js";
import { BroadcastOperator } from "./broadcast-operator.js";
import type { Client } from "./client.js";
import {
  DEFAULTS,
  INCOMING_RESERVED_EVENTS,
  MESSAGES,
  RECOVERABLE_DISCONNECT_REASONS,
  type DisconnectReason,
} from "./constants.js";
import { assertNotReserved, serverError } from "./errors.js";
import { buildHandshake, type Handshake } from "./handshake.js";
import { runMiddlewares } from "./middleware.js";
import type { Namespace } from "./namespace.js";
import type { Server } from "./server.js";

const debug = createDebug("rtio:server:socket");

/** An incoming event as per-packet middlewares see it: the name, then the arguments. */
export type Event = [string, ...any[]];

export interface SocketReservedEventsMap {
  disconnect: (reason: DisconnectReason, description?: any) => void;
  disconnecting: (reason: DisconnectReason, description?: any) => void;
  error: (err: Error) => void;
}

type SocketFlags = BroadcastFlags;

const noop = (): void => {};

/** `data` before its first read or write: most apps never touch it, and `{}` costs ~56 B a socket. */
const NO_DATA: unique symbol = Symbol("no data");

/** Bytes per id: 120 random bits, 20 base64url characters, as socket.io's ids. */
const ID_BYTES = 15;
/**
 * Random bytes for the next 64 ids: one call into the CSPRNG per 64 ids instead of one per id
 * (14 µs → 0.5 µs each, 2 % of the server's CPU in a connect storm). Each byte is used once:
 * the pool is refilled with fresh random bytes only after every id in it was handed out.
 */
const idPool = Buffer.alloc(ID_BYTES * 64);
let idAt = idPool.length;

/** A random id, URL-safe, as long as socket.io's. */
export function generateId(): string {
  if (idAt === idPool.length) {
    randomFillSync(idPool);
    idAt = 0;
  }
  const id = idPool.toString("base64url", idAt, idAt + ID_BYTES);
  idAt += ID_BYTES;
  return id;
}

/**
 * One client's presence in one namespace. `emit` sends to that client; `on` listens to what
 * it sends; `to(room)` and friends start a broadcast that leaves this socket out.
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> extends CatchAllEmitter<ListenEvents, EmitEvents, SocketReservedEventsMap> {
  readonly nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  readonly client: Client;
  /** The public id, also the name of the socket's own room. */
  readonly id: SocketId;
  readonly handshake: Handshake;
  /** Whether this socket resumed a previous session (connection state recovery). */
  readonly recovered: boolean = false;
  connected = false;
  /** Created on first use: most sockets never wait for an ack, and an empty Map costs ~180 B. */
  private _acks: Map<number, AckFn> | undefined;
  /** The private session id, only with connection state recovery. */
  private readonly pid: string | undefined;
  private fns: Array<(event: Event, next: (err?: Error) => void) => void> | undefined;
  /** The modifiers (`volatile`, `timeout(ms)`...) for the next emit; none most of the time. */
  private flags: SocketFlags | undefined;
  private missed: unknown[][] | undefined;
  private _data: SocketData | typeof NO_DATA = NO_DATA;

  constructor(
    nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    client: Client,
    auth: Record<string, unknown>,
    previousSession?: Session | null,
  ) {
    super();
    this.nsp = nsp;
    this.client = client;
    this.handshake = buildHandshake(client.conn, auth);
    if (previousSession) {
      this.id = previousSession.sid;
      this.pid = previousSession.pid;
      this.adapter.addAll(this.id, new Set(previousSession.rooms));
      this._data = previousSession.data as SocketData;
      this.missed = previousSession.missedPackets;
      this.recovered = true;
    } else {
      this.id = client.conn.protocol === 3 ? v2SocketId(nsp.name, client.id) : generateId();
      this.pid = nsp.server._opts.connectionStateRecovery ? generateId() : undefined;
    }
  }

  /**
   * Free for the app; survives recovery and is sent by `fetchSockets()` across servers.
   * @default {}
   */
  get data(): SocketData {
    if (this._data === NO_DATA) this._data = {} as SocketData;
    return this._data;
  }

  set data(data: SocketData) {
    this._data = data;
  }

  /** Pending acks by packet id; adapters add to it for broadcasts with acks. */
  get acks(): Map<number, AckFn> {
    return (this._acks ??= new Map());
  }

  get server(): Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.nsp.server;
  }

  get adapter(): Adapter {
    return this.nsp.adapter;
  }

  /** The Engine.IO connection. */
  get conn(): EngineSocket {
    return this.client.conn;
  }

  /** The first HTTP request of the connection. */
  get request(): IncomingMessage {
    return this.client.request;
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  /** The rooms this socket is in, its own id included. */
  get rooms(): Set<Room> {
    return this.adapter.socketRooms(this.id) ?? new Set();
  }

  /**
   * Sends an event to this client. A function as last argument receives the client's reply.
   * @example socket.emit("hello", "world", (reply) => console.log(reply));
   */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    assertNotReserved(ev);
    const data: unknown[] = [ev, ...args];
    const packet: Packet = { type: PacketType.EVENT, nsp: this.nsp.name, data };
    const flags = this.flags ?? {};
    this.flags = undefined;
    if (typeof data[data.length - 1] === "function") {
      const id = this.nsp._ids++;
      if (this.registerAck(id, data.pop() as (...a: any[]) => void, flags)) packet.id = id;
    }
    if (this.server._opts.connectionStateRecovery) {
      // Through the adapter, so the packet gets an offset and is kept for a recovering client.
      this.adapter.broadcast(packet, { rooms: new Set([this.id]), except: new Set(), flags });
    } else {
      this.notifyOutgoingListeners(packet);
      this._packet(packet, flags);
    }
    return true;
  }

  /**
   * Emits and resolves with the client's reply; rejects on timeout if `timeout()` was set.
   * @example const reply = await socket.timeout(1000).emitWithAck("hello");
   */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    const withErr = this.flags?.timeout !== undefined;
    return new Promise((resolve, reject) => {
      const ack = (a: unknown, b: unknown) => {
        if (!withErr) return resolve(a as FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>);
        return a ? reject(a) : resolve(b as FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>);
      };
      (this.emit as (ev: string, ...a: unknown[]) => boolean)(ev as string, ...args, ack);
    });
  }

  /** Returns whether the ack was registered; a socket at its cap of pending acks drops it. */
  private registerAck(id: number, ack: (...args: any[]) => void, flags: SocketFlags): boolean {
    if ((this._acks?.size ?? 0) >= this.server._maxPendingAcks) {
      debug("socket %s has too many pending acks, dropping one", this.id);
      if (flags.timeout !== undefined) process.nextTick(ack, serverError("TOO_MANY_ACKS", MESSAGES.tooManyAcks));
      return false;
    }
    const fn = flags.timeout === undefined ? ack : timedAck(this.acks, id, flags.timeout, ack, this);
    this.acks.set(id, fn);
    return true;
  }

  /** Same as `emit("message", ...args)`. */
  send(...args: EventParams<EmitEvents, "message">): this {
    (this.emit as (ev: string, ...a: unknown[]) => boolean)("message", ...args);
    return this;
  }

  /** Same as `send`. */
  write(...args: EventParams<EmitEvents, "message">): this {
    return this.send(...args);
  }

  /** @internal Writes one packet of this namespace to the connection. */
  _packet(packet: Packet, flags: SocketFlags = {}): void {
    packet.nsp = this.nsp.name;
    this.client._packet(packet, { compress: flags.compress !== false, volatile: flags.volatile });
  }

  /** Joins one room or several. */
  join(rooms: Room | Room[]): Promise<void> | void {
    return this.adapter.addAll(this.id, new Set(Array.isArray(rooms) ? rooms : [rooms]));
  }

  leave(room: Room): Promise<void> | void {
    return this.adapter.del(this.id, room);
  }

  private leaveAll(): void {
    this.adapter.delAll(this.id);
  }

  /** @internal Called once the namespace accepted the socket. */
  _onconnect(): void {
    this.connected = true;
    this.join(this.id);
    if (this.conn.protocol === 3) {
      this._packet({ type: PacketType.CONNECT, nsp: this.nsp.name });
    } else {
      this._packet({ type: PacketType.CONNECT, nsp: this.nsp.name, data: { sid: this.id, pid: this.pid } });
    }
    const missed = this.missed;
    this.missed = undefined;
    for (const data of missed ?? []) this._packet({ type: PacketType.EVENT, nsp: this.nsp.name, data });
  }

  /** @internal */
  _onpacket(packet: Packet): void {
    if (!this.connected) return;
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        return this.onevent(packet);
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        return this.onack(packet);
      case PacketType.DISCONNECT:
        return this.ondisconnect();
      default:
        return;
    }
  }

  private onevent(packet: Packet): void {
    const args = (packet.data ?? []) as unknown[];
    if (INCOMING_RESERVED_EVENTS.has(args[0] as string)) {
      return debug("ignoring reserved event %s from %s", args[0], this.id);
    }
    if (packet.id !== undefined) args.push(this.ack(packet.id));
    this.notifyIncomingListeners(args);
    this.dispatch(args as Event);
  }

  /** The function given to the app to reply to an event; a second call does nothing. */
  private ack(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this._packet({ type: PacketType.ACK, nsp: this.nsp.name, id, data: args });
    };
  }

  private onack(packet: Packet): void {
    const ack = this._acks?.get(packet.id!);
    if (typeof ack !== "function") return debug("bad ack %s", packet.id);
    this.acks.delete(packet.id!);
    ack.apply(this, (packet.data ?? []) as unknown[]);
  }

  private ondisconnect(): void {
    this._onclose("client namespace disconnect");
  }

  /** @internal Reports an error to the app's `error` listeners; without any, logs it as socket.io does. */
  _onerror(err: Error): void {
    if (this.listenerCount("error") > 0) {
      this.emitReserved("error", err);
    } else {
      console.error("Missing error handler on `socket`.");
      console.error(err?.stack ?? err);
    }
  }

  /** @internal The socket leaves: `disconnecting` (rooms still readable), then `disconnect`. */
  _onclose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    this.emitReserved("disconnecting", reason, description);
    if (this.pid !== undefined && this.server._opts.connectionStateRecovery && RECOVERABLE_DISCONNECT_REASONS.has(reason)) {
      this.adapter.persistSession({ sid: this.id, pid: this.pid, rooms: [...this.rooms], data: this.data });
    }
    this._cleanup();
    this.client._remove(this);
    this.connected = false;
    this.emitReserved("disconnect", reason, description);
    if (this._acks) cancelAcks(this._acks);
  }

  /** @internal Leaves every room and the namespace. */
  _cleanup(): void {
    this.leaveAll();
    this.nsp._remove(this);
    // A listener that joins a room after disconnection must not leave a ghost entry.
    this.join = noop;
  }

  /** @internal Sends CONNECT_ERROR: a middleware refused the connection. */
  _error(err: unknown): void {
    this._packet({ type: PacketType.CONNECT_ERROR, nsp: this.nsp.name, data: err });
  }

  /**
   * Disconnects this socket from its namespace; with `close`, closes the whole connection.
   * @example socket.disconnect(true);
   */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client._disconnect();
    } else {
      this._packet({ type: PacketType.DISCONNECT, nsp: this.nsp.name });
      this._onclose("server namespace disconnect");
    }
    return this;
  }

  /** Sets whether the next emit is compressed. */
  compress(compress: boolean): this {
    (this.flags ??= {}).compress = compress;
    return this;
  }

  /** The next emit may be dropped if the client cannot receive it right now. */
  get volatile(): this {
    (this.flags ??= {}).volatile = true;
    return this;
  }

  /** Sets a timeout on the ack of the next emit; the ack then gets an error first. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData> {
    (this.flags ??= {}).timeout = timeout;
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData>;
  }

  /** A broadcast to every socket of the namespace but this one. */
  get broadcast(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator();
  }

  /** A broadcast limited to this server (with a multi-server adapter). */
  get local(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().local;
  }

  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().to(room);
  }

  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().in(room);
  }

  except(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().except(room);
  }

  private newBroadcastOperator(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    const flags = this.flags ?? {};
    this.flags = undefined;
    return new BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData>(this.adapter, new Set(), new Set([this.id]), flags);
  }

  /** Adds a per-packet middleware, run for every incoming event before the listeners. */
  use(fn: (event: Event, next: (err?: Error) => void) => void): this {
    (this.fns ??= []).push(fn);
    return this;
  }

  private dispatch(event: Event): void {
    // Most sockets have no per-packet middleware: the same next tick, without the chain's closures.
    if (this.fns === undefined) return void process.nextTick(() => this.emitEvent(event));
    runMiddlewares(this.fns, event, (err) => {
      process.nextTick(() => (err ? this._onerror(err) : this.emitEvent(event)));
    });
  }

  private emitEvent(event: Event): void {
    if (this.connected) this.emitUntyped(...event);
    else debug("event after disconnection ignored");
  }
}

/** socket.io-client 2.x makes its socket id up rather than read it: the engine id on "/", `<nsp>#<engine id>` elsewhere. */
function v2SocketId(nsp: string, engineId: string): string {
  return nsp === "/" ? engineId : nsp + "#" + engineId;
}
