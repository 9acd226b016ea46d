import { Emitter } from "@socket.io/component-emitter";
import type { Socket as Engine } from "engine.io-client";
import { BatchedEngine } from "./batched-engine.js";
import type { Packet } from "../parser/index.js";
import type { DefaultEventsMap, EventsMap } from "../shared/typed-events.js";
import { DEFAULTS, setting, type CloseReason, type ManagerState } from "./constants.js";
import { defaultParser } from "./default-parser.js";
import { ClientError } from "./errors.js";
import { log } from "./log.js";
import { on } from "./on.js";
import type { DecoderLike, ManagerOptions, ParserLike, SocketOptions } from "./options.js";
import { Reconnector, type ReconnectEvents, type ReconnectHost } from "./reconnect.js";
import { Socket } from "./socket.js";
import { later, type Later } from "./timers.js";

const debug = log("manager");

export interface ManagerReservedEvents extends ReconnectEvents {
  open: () => void;
  error: (err: Error) => void;
  ping: () => void;
  packet: (packet: Packet) => void;
  close: (reason: CloseReason, description?: unknown) => void;
}

/** The getter/setters of the settings the next try reads: `m.timeout()` reads, `m.timeout(5000)` sets and returns `m`. */
export interface Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> {
  reconnectionAttempts(): number;
  reconnectionAttempts(v: number): this;
  reconnectionDelay(): number;
  reconnectionDelay(v: number): this;
  reconnectionDelayMax(): number;
  reconnectionDelayMax(v: number): this;
  randomizationFactor(): number;
  randomizationFactor(v: number): this;
  timeout(): number | false;
  timeout(v: number | false): this;
}

/**
 * One engine.io connection, shared by the namespace sockets created through it. Owns the
 * engine, the decoder and the reconnect loop.
 * @example const manager = new Manager("https://example.com"); const chat = manager.socket("/chat");
 */
export class Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> extends Emitter<
  {},
  {},
  ManagerReservedEvents
> {
  /** The engine.io-client socket of the current connection. */
  engine!: Engine;
  /** The options, and the store of the reconnection and timeout settings. */
  readonly opts: Partial<ManagerOptions>;
  /** @internal */
  _readyState: ManagerState = "closed";
  /** @internal */
  readonly _autoConnect: boolean;
  /** @internal starts the timers of this Manager and its sockets */
  readonly _later: Later;

  private readonly _uri: string | undefined;
  /** @internal the namespace sockets, by name (`io()` reads it: a second socket for one gets a new Manager) */
  readonly _nsps = new Map<string, Socket>();
  private readonly _subs: Array<() => void> = [];
  private readonly _decoded: Packet[] = [];
  private readonly _encoder: InstanceType<ParserLike["Encoder"]>;
  private readonly _decoder: DecoderLike;
  private readonly _reconnector: Reconnector;
  private _skipReconnect = false;

  constructor(opts?: Partial<ManagerOptions>);
  constructor(uri?: string, opts?: Partial<ManagerOptions>);
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>) {
    super();
    if (typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    const o: Partial<ManagerOptions> = (this.opts = { ...opts, path: opts?.path || DEFAULTS.path });
    this._uri = uri;
    this._later = later(o.timers, o.autoUnref);
    // The loop is this Manager's own part: it emits the Manager's reconnect_* events, which
    // component-emitter's types keep protected.
    this._reconnector = new Reconnector(this as unknown as ReconnectHost);
    const parser = o.parser ?? defaultParser;
    this._encoder = new parser.Encoder();
    this._decoder = new parser.Decoder();
    this._autoConnect = o.autoConnect !== false;
    if (this._autoConnect) this.open();
  }

  /** @internal true while a reconnection try is scheduled or running */
  get _reconnecting(): boolean {
    return this._reconnector.active;
  }

  reconnection(): boolean;
  reconnection(v: boolean): this;
  reconnection(v?: boolean): this | boolean {
    if (v === false) this._skipReconnect = true;
    return this._option("reconnection", v === undefined ? v : !!v);
  }

  /**
   * Opens the engine connection unless it is open or opening. `fn` gets the error of a
   * failed try (and then no reconnection is scheduled for it), or nothing on success.
   */
  open(fn?: (err?: Error) => void): this {
    if (this._readyState !== "closed") return this;
    debug("opening %s", this._uri);
    const engine = (this.engine = new BatchedEngine(this._uri as string, this.opts));
    const timeout = this.timeout();
    this._readyState = "opening";
    this._skipReconnect = false;

    // An error or the timeout ends the try: `_cleanup()` drops the listeners and the timer.
    const onError = (err: Error): void => {
      debug("connect error %o", err);
      this._cleanup();
      this._readyState = "closed";
      this.emitReserved("error", err);
      if (fn) fn(err);
      // A first failure starts the loop; a running one has attempts (and schedule() ignores it).
      else if (this.reconnection() && !this._reconnector.attempts) this._reconnector.schedule();
    };
    this._subs.push(
      on(engine, "open", () => {
        this._onopen();
        fn?.();
      }),
      on(engine, "error", onError),
    );
    if (timeout !== false) {
      this._subs.push(
        this._later(() => {
          onError(new ClientError("CONNECT_TIMEOUT", "timeout"));
          engine.close();
        }, timeout),
      );
    }
    return this;
  }

  /** Alias of {@link open}. */
  connect(fn?: (err?: Error) => void): this {
    return this.open(fn);
  }

  /** The socket of namespace `nsp` on this connection, created on first use. */
  socket(nsp: string, opts?: Partial<SocketOptions>): Socket<ListenEvents, EmitEvents> {
    let socket = this._nsps.get(nsp);
    if (!socket) this._nsps.set(nsp, (socket = new Socket(this, nsp, opts)));
    else if (this._autoConnect && !socket.active) socket.connect();
    return socket as unknown as Socket<ListenEvents, EmitEvents>;
  }

  /** @internal a socket went inactive: close the connection once none is left. */
  _destroy(_socket: Socket): void {
    for (const socket of this._nsps.values()) if (socket.active) return;
    this._close();
  }

  /** @internal writes one packet, as the encoder splits it. */
  _packet(packet: Packet, compress: boolean): void {
    // One options object for the packet's chunks: engine.io-client only reads `compress` back.
    const opts = { compress };
    for (const chunk of this._encoder.encode(packet)) this.engine.write(chunk as string, opts);
  }

  /** @internal closes for good: no reconnection. */
  _close(): void {
    debug("disconnect");
    this._skipReconnect = true;
    this._reconnector.stop();
    this._onclose("forced close");
  }

  /** @internal the getter/setter of one setting kept in `opts` (the reconnect loop reads it from there) */
  _option<K extends keyof typeof DEFAULTS>(key: K, v: ManagerOptions[K] | undefined): this | ManagerOptions[K] {
    if (v === undefined) return setting(this.opts, key);
    this.opts[key] = v;
    return this;
  }

  private _onopen(): void {
    debug("open");
    this._cleanup();
    this._readyState = "open";
    this.emitReserved("open");
    const engine = this.engine;
    this._subs.push(
      on(engine, "ping", () => this.emitReserved("ping")),
      on(engine, "data", (data: unknown) => this._ondata(data)),
      on(engine, "error", (err: Error) => this.emitReserved("error", err)),
      on(engine, "close", (reason: CloseReason, description?: unknown) => this._onclose(reason, description)),
      on(this._decoder, "decoded", (packet: Packet) => this._decoded.push(packet)),
    );
  }

  // Packets are handed on only after `add()` returns: an exception thrown by an app's
  // listener must not be taken for a parse error, which would close the connection.
  private _ondata(data: unknown): void {
    try {
      this._decoder.add(data);
    } catch (err) {
      this._decoded.length = 0;
      this._onclose("parse error", err);
      return;
    }
    // A message decodes to one packet at most (with the stock parser): no copy of the list.
    for (let packet; (packet = this._decoded.shift()); ) this.emitReserved("packet", packet);
  }

  private _cleanup(): void {
    for (const dispose of this._subs.splice(0)) dispose();
    this._decoder.destroy();
  }

  private _onclose(reason: CloseReason, description?: unknown): void {
    debug("close (%s)", reason);
    this._cleanup();
    this.engine?.close();
    this._reconnector.attempts = 0;
    this._readyState = "closed";
    this.emitReserved("close", reason, description);
    if (this.reconnection() && !this._skipReconnect) this._reconnector.schedule();
  }
}

// The five setting methods declared above are alike: made in one loop rather than written out
// five times (reconnection() has more to do and is written in the class).
for (const key of ["reconnectionAttempts", "reconnectionDelay", "reconnectionDelayMax", "randomizationFactor", "timeout"] as const) {
  Object.assign(Manager.prototype, {
    [key](this: Manager, v?: number | false) {
      return this._option(key, v);
    },
  });
}
