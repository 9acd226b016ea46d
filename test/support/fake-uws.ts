/**
 * An in-process stand-in for uWebSockets.js, the part of its App API that engine.io's uServer,
 * socket.io's `attachApp` and rtio's use: routes (`get`, `any`, `ws`), `listen`, pub/sub, and the
 * HttpRequest, HttpResponse and WebSocket objects. uWebSockets.js itself is a native module
 * published only on GitHub, so it cannot be installed here; this fake runs on node:http and ws.
 *
 * It keeps the rules of uWS that code written against Node's http gets wrong, so that such code
 * fails here as it would under uWS:
 * - an HttpRequest lives only during its handler: any use afterwards throws;
 * - a handler that returns without ending its response must have called `onAborted`;
 * - an HttpResponse that ended or was aborted throws on any use;
 * - the ArrayBuffers given to `onData` and `message` are detached once the callback returns;
 * - `getMethod()` is lower case, `getUrl()` has no query, a missing header reads as "".
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { WebSocketServer, type WebSocket as WsSocket } from "ws";

type HttpHandler = (res: FakeResponse, req: FakeRequest) => void;

export interface WebSocketBehavior {
  upgrade?: (res: FakeResponse, req: FakeRequest, context: unknown) => void;
  open?: (ws: FakeWebSocket) => void;
  message?: (ws: FakeWebSocket, message: ArrayBuffer, isBinary: boolean) => void;
  close?: (ws: FakeWebSocket, code: number, message: ArrayBuffer) => void;
  maxPayloadLength?: number;
  [option: string]: unknown;
}

interface Route {
  method: string;
  pattern: string;
  handler: HttpHandler;
}

const CONTEXT = Symbol("us_socket_context");

/** Detaches an ArrayBuffer, as uWS does to the ones it lends to callbacks. */
function detach(buffer: ArrayBuffer): void {
  if (buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
}

function toArrayBuffer(data: Buffer): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

function textBuffer(text: string): ArrayBuffer {
  return toArrayBuffer(Buffer.from(text));
}

/** uWS's pattern match: a literal path, or a prefix ending in `/*`. */
function matches(pattern: string, path: string): boolean {
  return pattern.endsWith("/*") ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

export class FakeRequest {
  #node: IncomingMessage;
  #alive = true;
  #yield = false;

  constructor(node: IncomingMessage) {
    this.#node = node;
  }

  #check(): void {
    if (!this.#alive) throw new Error("Using uWS.HttpRequest past its lifetime is forbidden (it is stack allocated).");
  }

  /** @internal */
  end(): void {
    this.#alive = false;
  }

  /** @internal */
  get yielded(): boolean {
    return this.#yield;
  }

  getMethod(): string {
    this.#check();
    return this.#node.method!.toLowerCase();
  }

  getUrl(): string {
    this.#check();
    return this.#node.url!.split("?", 1)[0]!;
  }

  getQuery(): string {
    this.#check();
    const url = this.#node.url!;
    const q = url.indexOf("?");
    return q === -1 ? "" : url.slice(q + 1);
  }

  getHeader(name: string): string {
    this.#check();
    const value = this.#node.headers[name];
    return value === undefined ? "" : Array.isArray(value) ? value.join(", ") : value;
  }

  forEach(fn: (name: string, value: string) => void): void {
    this.#check();
    const raw = this.#node.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) fn(raw[i]!.toLowerCase(), raw[i + 1]!);
  }

  setYield(value: boolean): this {
    this.#check();
    this.#yield = value;
    return this;
  }
}

/**
 * One HTTP response: over a ServerResponse for a plain request, or over the raw TCP socket of an
 * upgrade request (answered with an HTTP error, or upgraded).
 */
export class FakeResponse {
  #socket: NetSocket;
  #node: ServerResponse | undefined;
  #status: string | undefined;
  #headers: Array<[string, string]> = [];
  #done = false;
  #aborted: (() => void) | undefined;
  #onData: ((chunk: ArrayBuffer, isLast: boolean) => void) | undefined;
  #written = 0;

  constructor(socket: NetSocket, node?: ServerResponse) {
    this.#socket = socket;
    this.#node = node;
    const onGone = () => {
      if (this.#done) return;
      this.#done = true;
      this.#aborted?.();
    };
    if (node) node.once("close", onGone);
    else socket.once("close", onGone);
  }

  /** @internal Completes an upgrade (set by the app for upgrade requests). */
  declare upgradeWith: (userData: object) => void;

  #check(): void {
    if (this.#done) throw new Error("Invalid access of discarded or aborted response");
  }

  /** @internal Whether the handler may return: ended, aborted, or watched for an abort. */
  get settled(): boolean {
    return this.#done || this.#aborted !== undefined;
  }

  /** @internal Feeds the request body (plain requests); the last chunk comes with `isLast`, as in uWS. */
  pipeBody(node: IncomingMessage): void {
    let held: Buffer | undefined;
    const give = (chunk: Buffer, isLast: boolean) => {
      const ab = toArrayBuffer(chunk);
      if (!this.#done) this.#onData?.(ab, isLast);
      detach(ab);
    };
    node.on("data", (chunk: Buffer) => {
      if (held) give(held, false);
      held = chunk;
    });
    node.on("end", () => give(held ?? Buffer.alloc(0), true));
  }

  writeStatus(status: string): this {
    this.#check();
    // uWS ignores a status written after a header (the 200 then went out implicitly).
    if (this.#status === undefined && this.#headers.length === 0) this.#status = status;
    return this;
  }

  writeHeader(name: string, value: string): this {
    this.#check();
    if (typeof name !== "string" || typeof value !== "string") throw new Error("Text and data can only be passed by String, ArrayBuffer or TypedArray.");
    this.#headers.push([name, value]);
    return this;
  }

  onAborted(fn: () => void): this {
    this.#aborted = fn;
    return this;
  }

  onData(fn: (chunk: ArrayBuffer, isLast: boolean) => void): this {
    this.#onData = fn;
    return this;
  }

  // tryEnd here always takes the whole chunk, so there is never a write to retry.
  onWritable(_fn: (offset: number) => boolean): this {
    return this;
  }

  cork(fn: () => void): this {
    fn();
    return this;
  }

  getWriteOffset(): number {
    this.#check();
    return this.#written;
  }

  getRemoteAddressAsText(): ArrayBuffer {
    return textBuffer(this.#socket.remoteAddress ?? "");
  }

  #head(length: number | undefined): string {
    const status = this.#status ?? "200 OK";
    const lines = [`HTTP/1.1 ${status}`, ...this.#headers.map(([k, v]) => `${k}: ${v}`)];
    if (length !== undefined) lines.push(`Content-Length: ${length}`);
    return lines.join("\r\n") + "\r\n\r\n";
  }

  #writeNode(body: Buffer | undefined, total: number | undefined): void {
    const node = this.#node!;
    if (!node.headersSent) {
      const code = Number(this.#status?.split(" ", 1)[0] ?? 200);
      for (const [k, v] of this.#headers) node.appendHeader(k, v);
      if (total !== undefined) node.setHeader("Content-Length", total);
      node.writeHead(code, this.#status?.slice(String(code).length + 1) || STATUS_CODES[code]);
    }
    if (body) node.write(body);
  }

  end(...args: [body?: string | ArrayBuffer | Buffer]): this {
    this.#check();
    const body = args[0];
    if (args.length > 0 && typeof body !== "string" && !(body instanceof ArrayBuffer) && !ArrayBuffer.isView(body)) {
      throw new Error("Text and data can only be passed by String, ArrayBuffer or TypedArray.");
    }
    const data = body === undefined ? Buffer.alloc(0) : typeof body === "string" ? Buffer.from(body) : Buffer.from(body as ArrayBuffer);
    this.#done = true;
    if (this.#node) {
      this.#writeNode(undefined, this.#written + data.length);
      this.#node.end(data);
    } else {
      this.#socket.end(Buffer.concat([Buffer.from(this.#head(data.length)), data]));
    }
    return this;
  }

  /** Writes a part of a body of `total` bytes; ends the response with its last byte. */
  tryEnd(chunk: ArrayBuffer | Buffer, total: number): [boolean, boolean] {
    this.#check();
    const data = Buffer.from(chunk as ArrayBuffer);
    this.#writeNode(data, total);
    this.#written += data.length;
    if (this.#written >= total) {
      this.#done = true;
      this.#node!.end();
      return [true, true];
    }
    return [true, false];
  }

  close(): this {
    if (this.#done) return this;
    this.#socket.destroy();
    return this;
  }

  upgrade(userData: object, key: string, protocol: string, extensions: string, context: unknown): void {
    this.#check();
    if ((context as { [CONTEXT]?: boolean } | undefined)?.[CONTEXT] !== true) throw new Error("upgrade() needs the context given to the upgrade handler");
    this.#done = true;
    void key, protocol, extensions; // ws reads them from the request itself
    this.upgradeWith(userData);
  }

  /** @internal The status and headers written before `upgrade()`: they go into the 101. */
  get upgradeHeaders(): Array<[string, string]> {
    return this.#headers;
  }
}

export class FakeWebSocket {
  #ws: WsSocket;
  #userData: object;
  #app: FakeApp;
  #closed = false;
  readonly topics = new Set<string>();

  constructor(ws: WsSocket, userData: object, app: FakeApp) {
    this.#ws = ws;
    this.#userData = userData;
    this.#app = app;
  }

  #check(): void {
    if (this.#closed) throw new Error("Invalid access of closed uWS.WebSocket/SSLWebSocket.");
  }

  /** @internal */
  markClosed(): void {
    this.#closed = true;
    for (const topic of this.topics) this.#app.unsubscribeAll(this, topic);
  }

  getUserData(): object {
    this.#check();
    return this.#userData;
  }

  /** 1: sent. */
  send(message: string | ArrayBuffer | ArrayBufferView, isBinary = false, _compress = false): number {
    this.#check();
    const data = typeof message === "string" ? message : Buffer.from(ArrayBuffer.isView(message) ? message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength) : message);
    this.#ws.send(data, { binary: isBinary });
    return 1;
  }

  end(code = 1000, message?: string): void {
    this.#check();
    this.#ws.close(code, message);
  }

  close(): void {
    this.#check();
    this.#ws.terminate();
  }

  getBufferedAmount(): number {
    this.#check();
    return this.#ws.bufferedAmount;
  }

  getRemoteAddressAsText(): ArrayBuffer {
    this.#check();
    return textBuffer((this.#ws as unknown as { _socket: NetSocket })._socket.remoteAddress ?? "");
  }

  subscribe(topic: string): boolean {
    this.#check();
    this.topics.add(topic);
    this.#app.subscribe(this, topic);
    return true;
  }

  unsubscribe(topic: string): boolean {
    this.#check();
    this.topics.delete(topic);
    this.#app.unsubscribeAll(this, topic);
    return true;
  }

  isSubscribed(topic: string): boolean {
    return this.topics.has(topic);
  }

  publish(topic: string, message: string | ArrayBuffer, isBinary = false): boolean {
    this.#check();
    return this.#app.publish(topic, message, isBinary, this);
  }
}

export class FakeApp {
  #routes: Route[] = [];
  #wsRoutes: Array<{ pattern: string; behavior: WebSocketBehavior }> = [];
  #topics = new Map<string, Set<FakeWebSocket>>();
  #http: HttpServer | undefined;
  #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  /** Errors thrown by handlers: uWS would have crashed the process. */
  readonly crashes: unknown[] = [];

  get(pattern: string, handler: HttpHandler): this {
    this.#routes.push({ method: "get", pattern, handler });
    return this;
  }

  post(pattern: string, handler: HttpHandler): this {
    this.#routes.push({ method: "post", pattern, handler });
    return this;
  }

  any(pattern: string, handler: HttpHandler): this {
    this.#routes.push({ method: "*", pattern, handler });
    return this;
  }

  ws(pattern: string, behavior: WebSocketBehavior): this {
    this.#wsRoutes.push({ pattern, behavior });
    return this;
  }

  /** Listens on 127.0.0.1; calls back with a listen socket, or false. */
  listen(port: number, cb: (listenSocket: HttpServer | false) => void): this {
    const http = (this.#http = createServer((req, res) => this.#onRequest(req, res)));
    http.on("upgrade", (req: IncomingMessage, socket: NetSocket, head: Buffer) => this.#onUpgrade(req, socket, head));
    http.once("error", () => cb(false));
    http.listen(port, "127.0.0.1", () => cb(http));
    return this;
  }

  /** Stops listening and drops every connection. */
  close(): void {
    this.#http?.close();
    this.#http?.closeAllConnections();
    for (const ws of this.#wss.clients) ws.terminate();
  }

  subscribe(ws: FakeWebSocket, topic: string): void {
    let set = this.#topics.get(topic);
    if (!set) this.#topics.set(topic, (set = new Set()));
    set.add(ws);
  }

  unsubscribeAll(ws: FakeWebSocket, topic: string): void {
    this.#topics.get(topic)?.delete(ws);
  }

  publish(topic: string, message: string | ArrayBuffer | ArrayBufferView, isBinary = false, except?: FakeWebSocket): boolean {
    for (const ws of this.#topics.get(topic) ?? []) if (ws !== except) ws.send(message, isBinary);
    return true;
  }

  numSubscribers(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0;
  }

  #ordered(method: string, path: string): Route[] {
    // uWS: literal routes before wildcards, a method's own route before `any`.
    const rank = (r: Route) => (r.pattern.endsWith("/*") ? 2 : 0) + (r.method === "*" ? 1 : 0);
    return this.#routes.filter((r) => (r.method === method || r.method === "*") && matches(r.pattern, path)).sort((a, b) => rank(a) - rank(b));
  }

  #run(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.crashes.push(err);
      throw err;
    }
  }

  #onRequest(node: IncomingMessage, nodeRes: ServerResponse): void {
    const path = node.url!.split("?", 1)[0]!;
    const res = new FakeResponse(node.socket, nodeRes);
    res.pipeBody(node);
    for (const route of this.#ordered(node.method!.toLowerCase(), path)) {
      const req = new FakeRequest(node);
      this.#run(() => route.handler(res, req));
      req.end();
      if (req.yielded) continue;
      if (!res.settled) {
        const err = new Error("Returning from a request handler without responding or attaching an onAborted handler is forbidden!");
        this.crashes.push(err);
        throw err;
      }
      return;
    }
    nodeRes.writeHead(404).end();
  }

  #onUpgrade(node: IncomingMessage, socket: NetSocket, head: Buffer): void {
    const path = node.url!.split("?", 1)[0]!;
    const route = this.#wsRoutes.find((r) => matches(r.pattern, path));
    if (!route) return void socket.destroy();
    const { behavior } = route;
    const res = new FakeResponse(socket);
    res.upgradeWith = (userData) => {
      const extra = res.upgradeHeaders;
      const onHeaders = (lines: string[]) => {
        for (const [k, v] of extra) lines.push(`${k}: ${v}`);
      };
      this.#wss.once("headers", onHeaders);
      this.#wss.handleUpgrade(node, socket, head, (ws) => this.#open(ws, userData, behavior));
    };
    const req = new FakeRequest(node);
    const context = { [CONTEXT]: true };
    this.#run(() => {
      if (behavior.upgrade) behavior.upgrade(res, req, context);
      else res.upgrade({}, req.getHeader("sec-websocket-key"), req.getHeader("sec-websocket-protocol"), "", context);
    });
    req.end();
    if (!res.settled) {
      const err = new Error("Returning from an upgrade handler without upgrading or attaching an onAborted handler is forbidden!");
      this.crashes.push(err);
      throw err;
    }
  }

  #open(ws: WsSocket, userData: object, behavior: WebSocketBehavior): void {
    const fake = new FakeWebSocket(ws, userData, this);
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const ab = toArrayBuffer(data);
      this.#run(() => behavior.message?.(fake, ab, isBinary));
      detach(ab);
    });
    ws.on("close", (code: number, reason: Buffer) => {
      // Usable during its close handler, closed after it.
      const ab = toArrayBuffer(reason);
      this.#run(() => behavior.close?.(fake, code, ab));
      detach(ab);
      fake.markClosed();
    });
    ws.on("error", () => ws.terminate());
    this.#run(() => behavior.open?.(fake));
  }
}

/** `uWS.App()` */
export function App(): FakeApp {
  return new FakeApp();
}

/** `uWS.us_socket_local_port(listenSocket)` */
export function us_socket_local_port(listenSocket: HttpServer): number {
  return (listenSocket.address() as AddressInfo).port;
}

/** `uWS.us_listen_socket_close(listenSocket)` */
export function us_listen_socket_close(listenSocket: HttpServer): void {
  listenSocket.close();
}
