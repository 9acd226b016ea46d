import { createServer, type Server as HttpServer } from "node:http";
import type { Http2SecureServer, Http2Server } from "node:http2";
import type { Server as HttpsServer } from "node:https";
import { uServer, type AttachOptions, type Server as Engine, type ServerOptions as EngineOptions, type Socket as EngineSocket } from "engine.io";
import createDebug from "debug";
import * as defaultParser from "../parser/index.js";
import { Engine as RtioEngine } from "./engine.js";
import { WebSocketEngine } from "./ws/engine.js";
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
import { Adapter, type Room, type SocketId } from "./adapter.js";
import type { BroadcastOperator, RemoteSocket } from "./broadcast-operator.js";
import { Client } from "./client.js";
import { DEFAULTS, MESSAGES } from "./constants.js";
import { compactEngineSocket } from "./engine-compact.js";
import { serverError } from "./errors.js";
import { Namespace, type NamespaceMiddleware, type ServerReservedEventsMap } from "./namespace.js";
import type { AdapterConstructor, ParserModule, ResolvedRecovery, ServerOptions } from "./options.js";
import { ParentNamespace } from "./parent-namespace.js";
import { SessionAwareAdapter } from "./recovery.js";
import { releaseHandshakeRequest } from "./request.js";
import { attachServe, bundleCors, type Middleware } from "./serve-client.js";
import { StrictEventEmitter } from "./typed-emitter.js";
import { serveBundlesOnApp, type UwsApp, type UwsOptions } from "./uws.js";

const debug = createDebug("rtio:server");

/** The HTTP servers a Server can attach to. */
export type ServerInstance = HttpServer | HttpsServer | Http2SecureServer | Http2Server;

/** Decides whether a dynamic namespace may exist: `next(null, true)` creates it. */
export type ParentNspNameMatchFn = (
  name: string,
  auth: { [key: string]: any },
  fn: (err: Error | null, success: boolean) => void,
) => void;

/** The options as the server keeps them: recovery resolved, socket.io's defaults applied. */
export type ResolvedOptions = Partial<Omit<ServerOptions, "connectionStateRecovery">> & {
  connectionStateRecovery?: ResolvedRecovery;
};

/**
 * The Socket.IO server: owns the engine.io server and the namespaces; the default
 * namespace "/" answers `io.on("connection")`, `io.emit()` and friends.
 * @example
 * const io = new Server(httpServer, { cors: { origin: "https://example.com" } });
 * io.on("connection", (socket) => socket.emit("hello"));
 */
export class Server<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> extends StrictEventEmitter<
  ServerSideEvents,
  RemoveAcknowledgements<EmitEvents>,
  ServerReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
> {
  /** The default namespace, "/". */
  readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** @internal The parser module. */
  readonly _parser: ParserModule;
  /** @internal Encodes every packet this server sends; adapters use it for broadcasts. */
  readonly encoder: { encode(packet: any): any[] };
  /** @internal */
  readonly _nsps: Map<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = new Map();
  private readonly parentNsps = new Map<ParentNspNameMatchFn, ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  private readonly parentNamespacesFromRegExp = new Map<RegExp, ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  /** @internal */
  readonly _opts: ResolvedOptions;
  /** @internal */
  _connectTimeout: number;
  /** The engine.io server, once attached or bound. */
  engine!: Engine;
  /** The HTTP server this server is attached to, if any. */
  httpServer: ServerInstance | undefined;
  private _path: string;
  private _serveClient: boolean;
  private _adapter: AdapterConstructor;
  private restoreRequestListeners: (() => void) | undefined;

  constructor(opts?: Partial<ServerOptions>);
  constructor(srv?: ServerInstance | number, opts?: Partial<ServerOptions>);
  constructor(srv: undefined | Partial<ServerOptions> | ServerInstance | number, opts?: Partial<ServerOptions>);
  constructor(srv?: undefined | Partial<ServerOptions> | ServerInstance | number, opts: Partial<ServerOptions> = {}) {
    super();
    if (typeof srv === "object" && srv !== null && !("listen" in srv)) {
      opts = srv;
      srv = undefined;
    }
    const { connectionStateRecovery, ...rest } = opts;
    this._opts = { ...rest };
    if (connectionStateRecovery) {
      this._opts.connectionStateRecovery = {
        maxDisconnectionDuration: DEFAULTS.maxDisconnectionDuration,
        skipMiddlewares: true,
        ...connectionStateRecovery,
      };
    }
    this._path = trimPath(opts.path ?? DEFAULTS.path);
    this._connectTimeout = opts.connectTimeout ?? DEFAULTS.connectTimeout;
    this._serveClient = opts.serveClient !== false;
    this._parser = (opts.parser as ParserModule | undefined) ?? defaultParser;
    this.encoder = new this._parser.Encoder();
    this._opts.cleanupEmptyChildNamespaces = !!opts.cleanupEmptyChildNamespaces;
    this._adapter = opts.adapter ?? (connectionStateRecovery ? SessionAwareAdapter : Adapter);
    this.sockets = this.of("/");
    if (srv !== undefined && srv !== null) this.attach(srv as ServerInstance | number, opts);
  }

  /** The options, as adapters read them (`server.opts.connectionStateRecovery`). */
  get opts(): ResolvedOptions {
    return this._opts;
  }

  /** @internal */
  get _maxPendingAcks(): number {
    return this._opts.maxPendingAcks ?? DEFAULTS.maxPendingAcks;
  }

  /** @internal */
  get _maxBufferedBytes(): number {
    return this._opts.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes;
  }

  /** @internal */
  get _maxAttachments(): number {
    return this._opts.maxAttachments ?? DEFAULTS.maxAttachments;
  }

  /** @internal */
  get _maxRecoveryPackets(): number {
    return this._opts.maxRecoveryPackets ?? DEFAULTS.maxRecoveryPackets;
  }

  /** @internal */
  get _maxRecoverySessions(): number {
    return this._opts.maxRecoverySessions ?? DEFAULTS.maxRecoverySessions;
  }

  /** Gets or sets whether the client bundles are served. */
  serveClient(): boolean;
  serveClient(v: boolean): this;
  serveClient(v?: boolean): this | boolean {
    if (v === undefined) return this._serveClient;
    this._serveClient = v;
    return this;
  }

  /** Gets or sets the path under which the server answers. */
  path(): string;
  path(v: string): this;
  path(v?: string): this | string {
    if (v === undefined) return this._path;
    this._path = trimPath(v);
    return this;
  }

  /** Gets or sets how long a connection may stay without joining a namespace. */
  connectTimeout(): number;
  connectTimeout(v: number): this;
  connectTimeout(v?: number): this | number {
    if (v === undefined) return this._connectTimeout;
    this._connectTimeout = v;
    return this;
  }

  /** Gets or sets the adapter of namespaces created from now on. */
  adapter(): AdapterConstructor;
  adapter(v: AdapterConstructor): this;
  adapter(v?: AdapterConstructor): AdapterConstructor | this {
    if (v === undefined) return this._adapter;
    this._adapter = v;
    for (const nsp of this._nsps.values()) nsp._initAdapter();
    return this;
  }

  /** @internal Builds a namespace's adapter from a class or a factory. */
  _createAdapter(nsp: Namespace<any, any, any, any>): Adapter {
    const make = this._adapter as unknown as { prototype?: unknown } & ((nsp: unknown) => Adapter);
    // Arrow functions have no prototype and cannot be called with `new`; classes must be.
    if (make.prototype === undefined) return make(nsp);
    return new (this._adapter as new (nsp: Namespace<any, any, any, any>) => Adapter)(nsp);
  }

  /** Same as `attach`. */
  listen(srv: ServerInstance | number, opts: Partial<ServerOptions> = {}): this {
    return this.attach(srv, opts);
  }

  /**
   * Attaches to an HTTP server, or creates one listening on a port.
   * @example io.attach(3000);
   */
  attach(srv: ServerInstance | number, opts: Partial<ServerOptions> = {}): this {
    if (typeof srv === "function") {
      throw new Error("You are trying to attach socket.io to an express request handler function. Please pass a http.Server instance.");
    }
    if (typeof srv === "number" || typeof srv === "string") {
      const port = Number(srv);
      debug("creating an http server on port %d", port);
      const http = createServer((_req, res) => {
        res.writeHead(404);
        res.end();
      });
      http.listen(port);
      srv = http;
    }
    this.initEngine(srv, this.attachOptions(opts));
    return this;
  }

  /**
   * Attaches to a uWebSockets.js app (`uWS.App()` or `uWS.SSLApp()`) through engine.io's
   * uServer, and serves the client bundles on it unless `serveClient` is off.
   * @example
   * const app = uWS.App();
   * io.attachApp(app);
   * app.listen(3000, (token) => {});
   */
  attachApp(app: UwsApp, opts: Partial<ServerOptions> & UwsOptions = {}): void {
    debug("attaching engine.io's uServer under %s", this._path);
    const merged = this.attachOptions(opts);
    const engineOpts = engineOptionsOf(merged);
    const engine = new uServer(engineOpts as EngineOptions);
    engine.attach(app, engineOpts as AttachOptions & UwsOptions);
    if (this._serveClient) serveBundlesOnApp(app, ...this.bundleRoute(merged));
    this.bind(engine as unknown as Engine);
  }

  /**
   * The options an engine is attached with, merged as socket.io merges them: the constructor's
   * win over `attach()`'s, and the engine's path is `attach()`'s `path` when the constructor set
   * none (the bundles stay under `io.path()`).
   */
  private attachOptions<T extends Partial<ServerOptions>>(opts: T): T {
    const merged = { ...opts, ...this._opts };
    merged.path = merged.path || this._path;
    return merged;
  }

  private initEngine(srv: ServerInstance, opts: Partial<ServerOptions>): void {
    debug("attaching engine.io under %s", this._path);
    const engineOpts = engineOptionsOf(opts);
    // rtio's own WebSocket server, unless the app chose one or wants permessage-deflate (ws's).
    if (engineOpts.wsEngine === undefined && !engineOpts.perMessageDeflate) (engineOpts as { wsEngine?: unknown }).wsEngine = WebSocketEngine;
    // (rtio's own limits, maxPendingAcks and friends, are unknown to engine.io and ignored by it.)
    const engine = new RtioEngine(engineOpts as EngineOptions);
    engine.attach(srv as HttpServer, engineOpts as AttachOptions);
    this.engine = engine;
    if (this._serveClient) this.restoreRequestListeners = attachServe(srv, ...this.bundleRoute(opts));
    this.httpServer = srv;
    this.bind(this.engine);
  }

  /**
   * What the bundle routes need: the current path (undefined while serving is off), and the
   * middleware of the `cors` option of `merged` (options as `attachOptions` merged them).
   */
  private bundleRoute(merged: Partial<ServerOptions>): [() => string | undefined, Middleware | undefined] {
    return [() => (this._serveClient ? this._path : undefined), merged.cors ? bundleCors(merged.cors) : undefined];
  }

  /** Uses an engine.io server created elsewhere. */
  bind(engine: Engine): this {
    this.engine = engine;
    this.engine.on("connection", (conn: EngineSocket) => this.onconnection(conn));
    return this;
  }

  private onconnection(conn: EngineSocket): void {
    debug("incoming connection with id %s", (conn as unknown as { id: string }).id);
    releaseHandshakeRequest(conn);
    compactEngineSocket(conn);
    new Client(this, conn);
  }

  /** @internal Finds a dynamic namespace for `name`, creating the child if a parent accepts it. */
  _checkNamespace(
    name: string,
    auth: { [key: string]: any },
    fn: (nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | false) => void,
  ): void {
    const entries = [...this.parentNsps.entries()];
    const next = (i: number): void => {
      const entry = entries[i];
      if (!entry) return fn(false);
      const [check, parent] = entry;
      check(name, auth, (err, allow) => {
        if (err || !allow) return next(i + 1);
        const existing = this._nsps.get(name);
        fn(existing ?? parent.createChild(name));
      });
    };
    next(0);
  }

  /**
   * Looks up or creates a namespace; a RegExp or a function creates a parent of dynamic ones.
   * @example io.of(/^\/room-\d+$/).on("connection", (socket) => {});
   */
  of(
    name: string | RegExp | ParentNspNameMatchFn,
    fn?: (socket: import("./socket.js").Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name === "function" || name instanceof RegExp) {
      const parent = new ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this);
      if (typeof name === "function") {
        this.parentNsps.set(name, parent);
      } else {
        const re = name;
        this.parentNsps.set((nsp, _auth, next) => next(null, re.test(nsp)), parent);
        this.parentNamespacesFromRegExp.set(re, parent);
      }
      if (fn) parent.on("connect", fn);
      return parent;
    }
    if (name.charAt(0) !== "/") name = "/" + name;
    let nsp = this._nsps.get(name);
    if (!nsp) {
      for (const [re, parent] of this.parentNamespacesFromRegExp) {
        if (re.test(name)) return parent.createChild(name);
      }
      debug("initializing namespace %s", name);
      nsp = new Namespace(this, name);
      this._nsps.set(name, nsp);
      if (name !== "/") this._announceNamespace(nsp);
    }
    if (fn) nsp.on("connect", fn);
    return nsp;
  }

  /** @internal Emits `new_namespace` on the main namespace (where `io.on` listens). */
  _announceNamespace(nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    // `sockets` is still unset while "/" itself is being created.
    this.sockets?._emitNewNamespace(nsp);
  }

  /**
   * Disconnects every socket, closes the engine and the HTTP server; resolves when done.
   * @example await io.close();
   */
  async close(fn?: (err?: Error) => void): Promise<void> {
    await Promise.allSettled(
      [...this._nsps.values()].map(async (nsp) => {
        for (const socket of [...nsp.sockets.values()]) socket._onclose("server shutting down");
        const closing = serverError("SERVER_CLOSED", MESSAGES.serverClosed);
        for (const pending of [...nsp._pendingAcks]) pending.cancel(closing);
        await nsp.adapter.close();
      }),
    );
    this.engine?.close();
    this.restoreRequestListeners?.();
    this.restoreRequestListeners = undefined;
    const http = this.httpServer;
    if (!http) {
      fn?.();
      return;
    }
    await new Promise<void>((resolve) => {
      http.close((err) => {
        fn?.(err);
        resolve();
      });
    });
  }

  /** Adds a connection middleware to the main namespace. */
  use(fn: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this.sockets.use(fn);
    return this;
  }

  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.to(room);
  }

  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.in(room);
  }

  except(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.except(room);
  }

  compress(compress: boolean): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.compress(compress);
  }

  get volatile(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.volatile;
  }

  get local(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.local;
  }

  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>>, SocketData> {
    return this.sockets.timeout(timeout);
  }

  override emit<Ev extends EventNames<RemoveAcknowledgements<EmitEvents>>>(
    ev: Ev,
    ...args: EventParams<RemoveAcknowledgements<EmitEvents>, Ev>
  ): boolean {
    return this.sockets.emit(ev, ...args);
  }

  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return this.sockets.emitWithAck(ev, ...args);
  }

  send(...args: EventParams<EmitEvents, "message">): this {
    this.sockets.send(...args);
    return this;
  }

  write(...args: EventParams<EmitEvents, "message">): this {
    return this.send(...args);
  }

  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(ev: Ev, ...args: EventParams<ServerSideEvents, Ev>): boolean {
    return this.sockets.serverSideEmit(ev, ...args);
  }

  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return this.sockets.serverSideEmitWithAck(ev, ...args);
  }

  allSockets(): Promise<Set<SocketId>> {
    return this.sockets.allSockets();
  }

  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.sockets.fetchSockets();
  }

  socketsJoin(room: Room | Room[]): void {
    this.sockets.socketsJoin(room);
  }

  socketsLeave(room: Room | Room[]): void {
    this.sockets.socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }
}

// Listeners live on the main namespace, as in socket.io: `io.on("connection")` and
// `io.on(serverSideEvent)` are `io.sockets.on(...)`.
const DELEGATED = [
  "on", "once", "off", "addListener", "prependListener", "prependOnceListener", "removeListener",
  "removeAllListeners", "listeners", "rawListeners", "listenerCount", "eventNames", "setMaxListeners", "getMaxListeners",
] as const;
for (const method of DELEGATED) {
  Object.defineProperty(Server.prototype, method, {
    configurable: true,
    writable: true,
    value: function (this: Server, ...args: unknown[]): unknown {
      const nsp = this.sockets as unknown as Record<string, (...a: unknown[]) => unknown>;
      const result = nsp[method]!.apply(nsp, args);
      return result === nsp ? this : result;
    },
  });
}

function trimPath(path: string): string {
  return path.replace(/\/$/, "");
}

/** The options engine.io takes: the server's, without rtio's own (which engine.io would ignore). */
function engineOptionsOf(opts: Partial<ServerOptions> & UwsOptions): Omit<Partial<ServerOptions>, "connectionStateRecovery" | "adapter" | "parser"> & UwsOptions {
  const { connectionStateRecovery: _r, adapter: _a, parser: _p, ...engineOpts } = opts;
  return engineOpts;
}
