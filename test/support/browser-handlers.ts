// What the browser specs ask of a server: the same handlers on rtio's Server and on the
// official socket.io 4.8 Server (both take socket.io's API), so a spec is written once.
import type { IncomingMessage } from "node:http";

/** The part of socket.io's Server API the handlers use; both implementations have it. */
export interface AnyServer {
  of(nsp: string): AnyNamespace;
  to(room: string): { emit(event: string, ...args: unknown[]): boolean };
  emit(event: string, ...args: unknown[]): boolean;
  close(fn?: (err?: Error) => void): void;
}
interface AnyNamespace {
  on(event: "connection", fn: (socket: AnySocket) => void): unknown;
  sockets: Map<string, AnySocket>;
}
interface AnySocket {
  id: string;
  recovered: boolean;
  handshake: {
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, string | string[] | undefined>;
  };
  conn: { id: string; transport: { name: string }; close(): void };
  join(room: string): unknown;
  to(room: string): { emit(event: string, ...args: unknown[]): boolean };
  emit(event: string, ...args: unknown[]): boolean;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): boolean };
  on(event: string, fn: (...args: any[]) => void): unknown;
  once(event: string, fn: (...args: any[]) => void): unknown;
}
type Ack = (...args: unknown[]) => void;

/**
 * Handshakes to refuse per client `key` (query `?key=`), so a reconnecting client meets a
 * few failed attempts and its backoff shows. Read by the engine's `allowRequest`.
 */
export const refusals = new Map<string, number>();

export function allowRequest(req: IncomingMessage, fn: (err: string | null | undefined, ok: boolean) => void): void {
  const key = new URL(req.url ?? "/", "http://x").searchParams.get("key");
  const left = key ? (refusals.get(key) ?? 0) : 0;
  if (left > 0) {
    refusals.set(key!, left - 1);
    return fn("refused for the backoff spec", false);
  }
  fn(null, true);
}

/** Describes what arrived, so a spec can check binary crossed as bytes. */
function describe(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { buffer: [...value] };
  if (value instanceof ArrayBuffer) return { buffer: [...new Uint8Array(value)] };
  if (Array.isArray(value)) return value.map(describe);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v)]));
  }
  return value;
}

function splitAck(args: unknown[]): [unknown[], Ack | undefined] {
  const last = args.at(-1);
  return typeof last === "function" ? [args.slice(0, -1), last as Ack] : [args, undefined];
}

function common(socket: AnySocket): void {
  socket.on("echo", (...raw: unknown[]) => {
    const [args, ack] = splitAck(raw);
    if (ack) ack(...args);
    else socket.emit("echo", ...args);
  });
  socket.on("describe", (...raw: unknown[]) => {
    const [args, ack] = splitAck(raw);
    ack?.(args.map(describe));
  });
  socket.on("whoami", (ack: Ack) =>
    ack({
      id: socket.id,
      engineId: socket.conn.id,
      transport: socket.conn.transport.name,
      origin: socket.handshake.headers.origin ?? null,
      cookie: socket.handshake.headers.cookie ?? null,
      recovered: socket.recovered,
    }),
  );
}

function main(io: AnyServer, socket: AnySocket, attempts: Map<string, number>): void {
  common(socket);
  // Server-to-client acks: the server asks, the client answers, the server reports back.
  socket.on("ask", (question: unknown) => {
    socket.timeout(10_000).emit("question", question, (err: Error | null, answer: unknown) => {
      socket.emit("answered", err ? { error: err.message } : { answer });
    });
  });
  socket.on("send-binary", (ack: Ack) => {
    socket.emit("binary", Buffer.from([1, 2, 3]), { nested: new Uint8Array([4, 5]), list: [Buffer.from([6])] });
    ack();
  });
  socket.on("join", (room: string, ack: Ack) => {
    socket.join(room);
    ack();
  });
  socket.on("to-room", (room: string, event: string, data: unknown, ack: Ack) => {
    socket.to(room).emit(event, data);
    ack();
  });
  socket.on("everyone", (event: string, data: unknown, ack: Ack) => {
    io.emit(event, data);
    ack();
  });
  // A server-side drop: the engine connection closes under the client, which reconnects.
  socket.on("drop", (refuse: number, ack: Ack) => {
    const key = socket.handshake.query.key;
    if (typeof key === "string" && refuse > 0) refusals.set(key, refuse);
    ack();
    // The ack goes out before the close: a closing transport still flushes what it holds.
    setImmediate(() => socket.conn.close());
  });
  // Connection state recovery: a broadcast with an offset first, then a drop, then events
  // the client misses while it is away; a recovered session must deliver them.
  socket.on("csr-prepare", (room: string, ack: Ack) => {
    socket.join(room);
    ack();
    io.to(room).emit("tick", 0);
  });
  socket.on("csr-drop", (room: string, count: number) => {
    socket.once("disconnect", () => {
      for (let i = 1; i <= count; i++) io.to(room).emit("tick", i);
    });
    socket.conn.close();
  });
  // Reports when another socket of this namespace goes, and why (closeOnBeforeunload).
  socket.on("watch", (id: string, ack: Ack) => {
    const target = io.of("/").sockets.get(id);
    target?.once("disconnect", (reason: string) => socket.emit("gone", id, reason));
    ack(Boolean(target));
  });
  // `retries` with `ackTimeout`: the first `ignore` attempts of each key go unanswered.
  socket.on("flaky", (key: string, ignore: number, ack: Ack) => {
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (n > ignore) ack(n);
  });
  // The first attempt of each key is lost with its connection; later ones are acked. Counted
  // per server, since the retry arrives on the reconnected socket.
  socket.on("flaky-drop", (key: string, ack: Ack) => {
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (n === 1) socket.conn.close();
    else ack(n);
  });
}

/** Installs the handlers of every namespace the specs use. */
export function installHandlers(io: AnyServer): void {
  const attempts = new Map<string, number>();
  io.of("/").on("connection", (socket) => main(io, socket, attempts));
  io.of("/second").on("connection", (socket) => common(socket));
}
