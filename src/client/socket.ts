import { Emitter } from "@socket.io/component-emitter";
import { RESERVED_EVENTS, type Packet } from "../parser/index.js";
import * as T from "../parser/types.js";
import type {
  AckValue,
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  Last,
} from "../shared/typed-events.js";
import { AckStore } from "./acks.js";
import { callEach } from "./any-listeners.js";
import type { DisconnectReason } from "./constants.js";
import { ClientError } from "./errors.js";
import { log } from "./log.js";
import type { Manager } from "./manager.js";
import { on } from "./on.js";
import type { SocketOptions } from "./options.js";
import { RetryQueue } from "./retry-queue.js";

const debug = log("socket");

/** What a `connect_error` listener gets: the server's message, and its `data` if any. */
export interface ExtendedError extends Error {
  data?: any;
}

export type DisconnectDescription = Error | { description: string; context?: unknown };

export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (err: ExtendedError) => void;
  disconnect: (reason: Socket.DisconnectReason, description?: DisconnectDescription) => void;
}

interface Flags {
  compress?: boolean;
  _volatile?: boolean;
  timeout?: number;
  _fromQueue?: boolean;
}

/** A packet waiting for the connection, with how it is to be written. */
interface Outgoing {
  packet: Packet;
  compress: boolean;
}

type Listener = (...args: any[]) => void;

// socket.io-client's message for a server that answers CONNECT without a session id (v2).
const INCOMPATIBLE_SERVER =
  "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)";

// The flags of an emit without modifiers: shared, so a plain emit allocates no flags object;
// the modifiers copy it before setting anything.
const NO_FLAGS: Readonly<Flags> = Object.freeze({});

/**
 * One namespace on a {@link Manager}'s connection.
 * @example
 * const socket = io("https://example.com/chat", { auth: { token } });
 * socket.on("message", (text) => console.log(text));
 * const reply = await socket.timeout(5000).emitWithAck("hello", "world");
 */
export class Socket<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> extends Emitter<
  ListenEvents,
  EmitEvents,
  SocketReservedEvents
> {
  readonly io: Manager<ListenEvents, EmitEvents>;
  /** The session id in this namespace; set while connected. */
  id: string | undefined;
  connected = false;
  /** Whether the server restored the session (rooms, missed events) at the last connect. */
  recovered = false;
  auth: SocketOptions["auth"];
  /** Events received before `connect` was emitted, delivered right after it. */
  receiveBuffer: Array<ReadonlyArray<unknown>> = [];
  /** Packets emitted while disconnected, sent in order on connect. */
  sendBuffer: Outgoing[] = [];

  private readonly _nsp: string;
  /** @internal */
  readonly _ackTimeout: number | undefined;
  private readonly _acks: AckStore;
  private readonly _queue: RetryQueue | undefined;
  // The catch-all listeners of incoming and of outgoing events.
  private _anyIn: Listener[] = [];
  private _anyOut: Listener[] = [];
  private _flags: Readonly<Flags> = NO_FLAGS;
  private _subs: Array<() => void> | undefined;
  // Connection state recovery: the session to offer back, and the last event offset seen.
  private _pid: string | undefined;
  private _lastOffset: string | undefined;

  constructor(io: Manager<any, any>, nsp: string, opts?: Partial<SocketOptions>) {
    super();
    this.io = io;
    this._nsp = nsp;
    this._ackTimeout = opts?.ackTimeout;
    this.auth = opts?.auth ?? {};
    this._acks = new AckStore(this);
    if (opts?.retries !== undefined) {
      this._queue = new RetryQueue(this, opts.retries);
    }
    if (io._autoConnect) this.open();
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  /** Whether the socket is subscribed to its Manager: connected, or trying to be. */
  get active(): boolean {
    return !!this._subs;
  }

  /** Connects (a no-op while connected); also called by a Manager with `autoConnect`. */
  connect(): this {
    const io = this.io;
    if (this.connected) return this;
    if (!this._subs) {
      this._subs = [
        on(io, "open", () => this._onopen()),
        on(io, "packet", (packet: Packet) => this._onpacket(packet)),
        on(io, "error", (err: Error) => {
          if (!this.connected) this.emitReserved("connect_error", err);
        }),
        on(io, "close", (reason: DisconnectReason, description?: DisconnectDescription) => this._onclose(reason, description)),
      ];
    }
    if (!io._reconnecting) io.open();
    if (io._readyState === "open") this._onopen();
    return this;
  }

  /** Alias of {@link connect}. */
  open(): this {
    return this.connect();
  }

  /** Emits a `message` event. */
  send(...args: any[]): this {
    (this.emit as Listener)("message", ...args);
    return this;
  }

  /**
   * Emits an event; a function as the last argument is the ack. While disconnected the
   * packet waits in the send buffer (unless `volatile`).
   * @throws on a reserved event name such as `connect`
   */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    // The codec's list: the names a peer may not send are the names an app may not emit.
    if (RESERVED_EVENTS.has(ev as string)) throw new ClientError("RESERVED_EVENT", `"${String(ev)}" is a reserved event name`);
    // The rest array is this call's own: it becomes the packet's data, with no copy.
    args.unshift(ev);
    const flags = this._flags;
    this._flags = NO_FLAGS;
    if (this._queue && !flags._volatile) this._queue.push(args, flags);
    else this._send(args, flags);
    return this;
  }

  /**
   * @internal writes or buffers `all` (the event name first, the ack last if any). The retry
   * queue's tries come `_fromQueue`: their acks are error-first and untimed, as the queue times them.
   */
  _send(all: unknown[], flags: Readonly<Flags>): void {
    const packet: Packet = { type: T.EVENT, nsp: this._nsp, data: all };
    if (typeof all[all.length - 1] === "function") {
      const fromQueue = flags._fromQueue;
      packet.id = this._acks.add(all.pop() as Listener, fromQueue, fromQueue ? undefined : (flags.timeout ?? this._ackTimeout));
    }
    const compress = flags.compress !== false;
    // Volatile means "now or never": dropped while the transport is busy or absent.
    if (flags._volatile && !this.io.engine?.transport?.writable) debug("volatile packet discarded");
    else if (this.connected && !this.io.engine?._hasPingExpired()) this._write(packet, compress);
    else this.sendBuffer.push({ packet, compress });
  }

  /**
   * Emits and resolves with the ack's value; with a timeout (`timeout()` or `ackTimeout`)
   * it rejects with the timeout error instead.
   */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckValue<Last<EventParams<EmitEvents, Ev>>>> {
    const withError = this._flags.timeout !== undefined || this._ackTimeout !== undefined || this._queue !== undefined;
    return new Promise((resolve, reject) => {
      (this.emit as Listener)(ev, ...args, (a: any, b: any): void => {
        if (!withError) resolve(a);
        else if (a) reject(a);
        else resolve(b);
      });
    });
  }

  /** The next emit's ack gets an `Error` first if no answer comes within `ms`. */
  timeout(ms: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    return this._flag({ timeout: ms }) as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  }

  /** The next emit is dropped rather than buffered if it cannot be sent right away. */
  get volatile(): this {
    return this._flag({ _volatile: true });
  }

  /** Whether the next emit may be compressed. @default true */
  compress(compress: boolean): this {
    return this._flag({ compress });
  }

  /** Disconnects this namespace; the connection closes once no namespace uses it. */
  disconnect(): this {
    if (this.connected) this.io._packet({ type: T.DISCONNECT, nsp: this._nsp }, true);
    this._destroy();
    if (this.connected) this._onclose("io client disconnect");
    return this;
  }

  /** Alias of {@link disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Listens to every incoming event: `(event, ...args)`. */
  onAny(fn: Listener): this {
    this._anyIn.push(fn);
    return this;
  }

  prependAny(fn: Listener): this {
    this._anyIn.unshift(fn);
    return this;
  }

  offAny(fn?: Listener): this {
    this._anyIn = fn ? this._anyIn.filter((l) => l !== fn) : [];
    return this;
  }

  listenersAny(): Listener[] {
    return this._anyIn.slice();
  }

  /** Listens to every outgoing event as it is written: `(event, ...args)`. */
  onAnyOutgoing(fn: Listener): this {
    this._anyOut.push(fn);
    return this;
  }

  prependAnyOutgoing(fn: Listener): this {
    this._anyOut.unshift(fn);
    return this;
  }

  offAnyOutgoing(fn?: Listener): this {
    this._anyOut = fn ? this._anyOut.filter((l) => l !== fn) : [];
    return this;
  }

  listenersAnyOutgoing(): Listener[] {
    return this._anyOut.slice();
  }

  private _flag(flag: Flags): this {
    this._flags = { ...this._flags, ...flag };
    return this;
  }

  private _write(packet: Packet, compress: boolean): void {
    // Only events are written here (and buffered): CONNECT, DISCONNECT and ACK go straight out.
    callEach(this._anyOut, packet.data as unknown[]);
    this.io._packet(packet, compress);
  }

  private _onopen(): void {
    if (typeof this.auth === "function") this.auth((data) => this._sendConnect(data));
    else this._sendConnect(this.auth);
  }

  private _sendConnect(data: object): void {
    // With a session to recover, its id and last offset go first: the app's `auth` keys win.
    this.io._packet({ type: T.CONNECT, nsp: this._nsp, data: this._pid ? { pid: this._pid, offset: this._lastOffset, ...data } : data }, true);
  }

  private _onpacket({ nsp, type, data, id }: Packet): void {
    if (nsp !== this._nsp) return;
    switch (type) {
      case T.CONNECT:
        if (data?.sid) this._onconnect(data.sid, data.pid);
        else this.emitReserved("connect_error", new ClientError("INCOMPATIBLE_SERVER", INCOMPATIBLE_SERVER));
        break;
      case T.EVENT:
      case T.BINARY_EVENT: {
        const args: unknown[] = data ?? [];
        if (id !== undefined && id !== null) {
          // The callback that answers the server's ack: only its first call is sent.
          let sent = false;
          args.push((...res: unknown[]) => {
            if (sent) return;
            sent = true;
            this.io._packet({ type: T.ACK, nsp, id, data: res }, true);
          });
        }
        if (this.connected) this._emitEvent(args);
        else this.receiveBuffer.push(Object.freeze(args));
        break;
      }
      case T.ACK:
      case T.BINARY_ACK:
        this._acks.settle(id!, data ?? []);
        break;
      case T.DISCONNECT:
        this._destroy();
        this._onclose("io server disconnect");
        break;
      case T.CONNECT_ERROR:
        this._destroy();
        // The server's middleware error: its message, and its `data` if any.
        this.emitReserved("connect_error", new ClientError("CONNECT_REFUSED", String(data?.message ?? "connection refused"), data?.data));
        break;
    }
  }

  private _emitEvent(args: ReadonlyArray<unknown>): void {
    callEach(this._anyIn, args);
    (super.emit as Listener).apply(this, args as unknown[]);
    // With recovery on, the server appends the event's offset as its last argument.
    const last = args[args.length - 1];
    if (this._pid && typeof last === "string") this._lastOffset = last;
  }

  private _onconnect(id: string, pid: string | undefined): void {
    debug("connected to %s as %s", this._nsp, id);
    this.id = id;
    this.recovered = !!pid && this._pid === pid;
    this._pid = pid;
    this.connected = true;
    for (const args of this.receiveBuffer.splice(0)) this._emitEvent(args);
    for (const out of this.sendBuffer.splice(0)) this._write(out.packet, out.compress);
    this.emitReserved("connect");
    this._queue?.drain();
  }

  private _onclose(reason: DisconnectReason, description?: DisconnectDescription): void {
    const wasConnected = this.connected;
    this.connected = false;
    this.id = undefined;
    if (wasConnected) this.emitReserved("disconnect", reason, description);
    this._acks.dropAll();
  }

  /** Unsubscribes from the Manager, which closes the connection if no namespace is left. */
  private _destroy(): void {
    if (!this._subs) return;
    for (const dispose of this._subs) dispose();
    this._subs = undefined;
    this._queue?.clear();
    this.io._destroy(this as unknown as Socket);
  }
}

export declare namespace Socket {
  export type DisconnectReason = import("./constants.js").DisconnectReason;
}
