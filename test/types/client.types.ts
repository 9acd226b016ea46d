// Compile-time tests of the client's typed events, run by `tsc -p tsconfig.json --noEmit`.
// A line under `@ts-expect-error` must fail to compile; `expectType` pins an inferred type.
import { io, Manager, Socket, type ExtendedError } from "../../src/client/index.js";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T>(_value: T): void {}
function assertEqual<A, B>(_proof: Equals<A, B>): void {}

interface ServerToClient {
  news: (title: string, id: number) => void;
  bin: (data: ArrayBuffer) => void;
  ask: (q: string, ack: (answer: number) => void) => void;
}

interface ClientToServer {
  hello: (name: string) => void;
  sum: (a: number, b: number, ack: (total: number) => void) => void;
  fetch: (id: string, ack: (err: Error, row: { id: string } | null) => void) => void;
  noArgs: () => void;
}

const socket: Socket<ServerToClient, ClientToServer> = io("http://localhost:3000");

// Listeners are typed by the listen map; reserved events by the library.
socket.on("news", (title, id) => {
  expectType<string>(title);
  expectType<number>(id);
});
socket.on("ask", (q, ack) => {
  expectType<string>(q);
  ack(42);
  // @ts-expect-error the ack takes a number
  ack("42");
});
socket.on("connect_error", (err) => expectType<ExtendedError>(err));
socket.on("disconnect", (reason) => {
  expectType<Socket.DisconnectReason>(reason);
  // @ts-expect-error not one of socket.io's reasons
  if (reason === "bye") return;
});
// @ts-expect-error unknown event
socket.on("unknown", () => {});
// @ts-expect-error wrong listener parameter type
socket.on("news", (title: number) => {});

// Emits are typed by the emit map.
socket.emit("hello", "ann");
socket.emit("noArgs");
socket.emit("sum", 1, 2, (total) => expectType<number>(total));
// @ts-expect-error wrong argument type
socket.emit("hello", 1);
// @ts-expect-error missing argument
socket.emit("sum", 1);
// @ts-expect-error unknown event
socket.emit("nope");

// timeout(): the ack becomes error-first, exactly once.
socket.timeout(1000).emit("sum", 1, 2, (err, total) => {
  expectType<Error>(err);
  assertEqual<typeof total, number>(true);
});
// An ack that is already error-first does not get a second error parameter.
socket.timeout(1000).emit("fetch", "id", (err, row) => {
  assertEqual<typeof err, Error>(true);
  assertEqual<typeof row, { id: string } | null>(true);
});

// emitWithAck: a promise of the ack's value, with or without timeout().
async function acks(): Promise<void> {
  const total = await socket.emitWithAck("sum", 1, 2);
  assertEqual<typeof total, number>(true);
  const timed = await socket.timeout(500).emitWithAck("sum", 1, 2);
  assertEqual<typeof timed, number>(true);
  const row = await socket.timeout(500).emitWithAck("fetch", "x");
  assertEqual<typeof row, { id: string } | null>(true);
  // @ts-expect-error "hello" has no ack
  await socket.emitWithAck("hello", "ann");
  // @ts-expect-error the ack is not an argument of emitWithAck
  await socket.emitWithAck("sum", 1, 2, () => {});
}
void acks;

// Untyped sockets accept anything, as in socket.io-client.
const loose = io();
loose.emit("anything", 1, "two", { three: 3 }, () => {});
loose.on("whatever", (...args) => expectType<any[]>(args));
void loose.emitWithAck("x", 1).then((v) => expectType<any>(v));

// Manager and its options.
const manager = new Manager("http://localhost:3000", { reconnectionDelayMax: 10_000, autoConnect: false });
expectType<number>(manager.reconnectionDelay());
expectType<Manager>(manager.reconnectionDelay(500));
expectType<number | false>(manager.timeout());
const admin = manager.socket("/admin", { auth: (cb) => cb({ token: "t" }) });
expectType<Socket>(admin);
manager.on("reconnect_attempt", (n) => expectType<number>(n));
manager.on("reconnect_error", (err) => expectType<Error>(err));
// @ts-expect-error not a Manager option value
new Manager({ reconnection: "yes" });
// @ts-expect-error unknown Manager event
manager.on("reconnecting", () => {});

// Socket properties.
expectType<string | undefined>(socket.id);
expectType<boolean>(socket.connected);
expectType<boolean>(socket.recovered);
expectType<Manager<ServerToClient, ClientToServer>>(socket.io);
socket.volatile.compress(false).emit("hello", "x");

// An ack typed `(err: Error | null, ...)` or `(err?: Error, ...)` is error-first too:
// timeout() keeps it as it is, and emitWithAck resolves with the value after the error.
interface NullableErrorAcks {
  save: (doc: string, ack: (err: Error | null, id: number) => void) => void;
  load: (id: number, ack: (err: Error | undefined, doc: string) => void) => void;
  custom: (ack: (err: TypeError | null) => void) => void;
  nothing: (ack: (value: null) => void) => void;
}
const nullable = io() as Socket<{}, NullableErrorAcks>;
nullable.timeout(100).emit("save", "doc", (err, id) => {
  assertEqual<typeof err, Error | null>(true);
  assertEqual<typeof id, number>(true);
});
nullable.timeout(100).emit("load", 1, (err, doc) => {
  assertEqual<typeof err, Error | undefined>(true);
  assertEqual<typeof doc, string>(true);
});
nullable.timeout(100).emit("custom", (err) => assertEqual<typeof err, TypeError | null>(true));
// A parameter that can only be null is a value, not an error slot: timeout() prepends one.
nullable.timeout(100).emit("nothing", (err, value) => {
  assertEqual<typeof err, Error>(true);
  assertEqual<typeof value, null>(true);
});
async function nullableAcks(): Promise<void> {
  assertEqual<Awaited<ReturnType<typeof nullable.emitWithAck<"save">>>, number>(true);
  const doc = await nullable.timeout(100).emitWithAck("load", 1);
  assertEqual<typeof doc, string>(true);
}
void nullableAcks;
