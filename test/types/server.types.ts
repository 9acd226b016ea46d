// Type tests for rtio/server: compiled by `tsc -p tsconfig.json --noEmit` (run by npm test),
// never executed. Each @ts-expect-error line must fail to compile, or tsc reports it.
import { Server, type DisconnectReason, type ExtendedError, type RemoteSocket, type Socket } from "../../src/server/index.js";

interface ClientToServerEvents {
  hello: (msg: string) => void;
  ask: (q: number, cb: (answer: string) => void) => void;
}
interface ServerToClientEvents {
  news: (n: number) => void;
  confirm: (x: string, cb: (reply: number) => void) => void;
}
interface InterServerEvents {
  ping: () => void;
  sync: (cb: (state: string) => void) => void;
}
interface SocketData {
  name: string;
  age: number;
}

type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export function typedServer(io: TypedServer): void {
  io.on("connection", (socket) => {
    const typed: TypedSocket = socket;
    void typed;
    socket.on("hello", (msg) => {
      const text: string = msg;
      void text;
    });
    // @ts-expect-error the listener takes a string, not a number
    socket.on("hello", (msg: number) => void msg);
    socket.on("ask", (q, cb) => {
      const n: number = q;
      cb("answer " + n);
    });
    // @ts-expect-error unknown incoming event
    socket.on("nope", () => {});
    socket.on("disconnect", (reason) => {
      const r: DisconnectReason = reason;
      void r;
    });
    socket.on("disconnecting", (reason) => void reason);
    socket.on("error", (err) => {
      const e: Error = err;
      void e;
    });

    socket.emit("news", 1);
    // @ts-expect-error news takes a number
    socket.emit("news", "1");
    // @ts-expect-error unknown outgoing event
    socket.emit("nope");
    socket.emit("confirm", "x", (reply) => {
      const n: number = reply;
      void n;
    });
    socket.timeout(1000).emit("confirm", "x", (err, reply) => {
      const e: Error = err;
      const n: number = reply;
      void e, n;
    });
    const single: Promise<number> = socket.emitWithAck("confirm", "x");
    const timed: Promise<number> = socket.timeout(1000).emitWithAck("confirm", "x");
    void single, timed;
    // @ts-expect-error news has no ack
    void socket.emitWithAck("news", 1);

    socket.data.name = "ann";
    // @ts-expect-error name is a string
    socket.data.name = 1;

    socket.to("room").emit("news", 2);
    socket.broadcast.emit("news", 3);
    socket.except(["a", "b"]).volatile.compress(false).emit("news", 4);
    // @ts-expect-error news takes a number
    socket.to("room").emit("news", "4");
    socket.use(([event, ...args], next) => {
      const name: string = event;
      void name, args;
      next();
    });
    socket.onAny((event: string, ...args: unknown[]) => void [event, args]);
    const rooms: Set<string> = socket.rooms;
    const id: string = socket.id;
    const recovered: boolean = socket.recovered;
    void rooms, id, recovered;
  });

  io.emit("news", 1);
  // @ts-expect-error an ack needs timeout() on a broadcast
  io.emit("confirm", "x", () => {});
  io.timeout(1000).emit("confirm", "x", (err, replies) => {
    const e: Error = err;
    const all: number[] = replies;
    void e, all;
  });
  const fromAll: Promise<number[]> = io.timeout(1000).emitWithAck("confirm", "x");
  const fromRoom: Promise<number[]> = io.to("room").timeout(1000).emitWithAck("confirm", "x");
  void fromAll, fromRoom;
  io.to("room").except("other").local.emit("news", 1);

  io.serverSideEmit("ping");
  // @ts-expect-error unknown server-side event
  io.serverSideEmit("pong");
  const states: Promise<string[]> = io.serverSideEmitWithAck("sync");
  void states;
  io.on("ping", () => {});

  io.use((socket, next) => {
    const name: string = socket.data.name;
    const err: ExtendedError = new Error(name);
    err.data = { reason: "x" };
    next(err);
  });
  io.of("/admin").on("connection", (socket) => socket.emit("news", 1));
  io.of(/^\/dyn-\d+$/).use((_socket, next) => next());
  io.of((name, auth, next) => next(null, name.length > 1 && auth.ok === true));
}

export async function remoteSockets(io: TypedServer): Promise<void> {
  const sockets: RemoteSocket<ServerToClientEvents, SocketData>[] = await io.in("room").fetchSockets();
  for (const socket of sockets) {
    const age: number = socket.data.age;
    void age;
    socket.emit("news", 1);
    // @ts-expect-error news takes a number
    socket.emit("news", "x");
    socket.join(["a", "b"]);
    socket.leave("a");
    socket.disconnect(true);
  }
  io.socketsJoin("room");
  io.in("room").socketsLeave(["a"]);
  io.except("room").disconnectSockets(true);
  const ids: Set<string> = await io.allSockets();
  void ids;
}

export function untypedServer(): void {
  const io = new Server();
  io.on("connection", (socket) => {
    socket.on("anything", (a: number, b: string) => void [a, b]);
    socket.emit("anything", 1, "two", { three: 3 });
    socket.timeout(5).emit("with-ack", (err: Error | null, value: unknown) => void [err, value]);
  });
  io.emit("anything", 1);
  const withOptions = new Server({ path: "/x", connectionStateRecovery: { maxDisconnectionDuration: 1000 }, cors: { origin: "*" }, pingInterval: 1 });
  // @ts-expect-error unknown option
  new Server({ notAnOption: true });
  void withOptions;
}

// uWebSockets.js's App as its index.d.ts declares it (the parts attachApp touches): an app of
// the real package must be accepted as it is.
type RecognizedString = string | ArrayBuffer | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
interface UwsHttpResponse {
  writeStatus(status: RecognizedString): UwsHttpResponse;
  writeHeader(key: RecognizedString, value: RecognizedString): UwsHttpResponse;
  end(body?: RecognizedString, closeConnection?: boolean): UwsHttpResponse;
  cork(cb: () => void): UwsHttpResponse;
  onAborted(handler: () => void): UwsHttpResponse;
  [key: string]: any;
}
interface UwsHttpRequest {
  getHeader(lowerCaseKey: RecognizedString): string;
  getUrl(): string;
  getMethod(): string;
  getQuery(): string | undefined;
  forEach(cb: (key: string, value: string) => void): void;
  setYield(yield_: boolean): UwsHttpRequest;
}
interface UwsTemplatedApp {
  get(pattern: RecognizedString, handler: (res: UwsHttpResponse, req: UwsHttpRequest) => void | Promise<void>): UwsTemplatedApp;
  any(pattern: RecognizedString, handler: (res: UwsHttpResponse, req: UwsHttpRequest) => void | Promise<void>): UwsTemplatedApp;
  ws(pattern: RecognizedString, behavior: { upgrade?: (res: UwsHttpResponse, req: UwsHttpRequest, context: unknown) => void; [key: string]: unknown }): UwsTemplatedApp;
  publish(topic: RecognizedString, message: RecognizedString, isBinary?: boolean, compress?: boolean): boolean;
}

export function uwsApp(io: Server, app: UwsTemplatedApp, http: import("node:http").Server): void {
  io.attachApp(app);
  io.attachApp(app, { path: "/rt", compression: 0, idleTimeout: 60, maxBackpressure: 1 << 20, cors: { origin: "*" } });
  // @ts-expect-error an http server is attached with attach()
  io.attachApp(http);
}
