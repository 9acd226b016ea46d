// Child process for test/node/leak-exit.test.ts: uses a server and clients for real, then
// lets go of them the way an app would (`socket.disconnect()`, `io.close()`) and does
// nothing else. The parent checks that this process then exits on its own.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as rtioClient } from "../../src/client/index.js";
import { Server } from "../../src/server/index.js";

const mode = process.argv[2] ?? "both";
const http = createServer();
const io = new Server(http, { connectionStateRecovery: {} });
io.on("connection", (socket) => {
  socket.join("room");
  socket.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v));
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

// One client over polling then upgraded, one straight over WebSocket; both use acks,
// timeouts and broadcasts so their timers exist.
// With io.close() alone the clients would rightly try to reconnect forever: not in that mode.
const reconnection = mode !== "server";
const a = rtioClient(url, { forceNew: true, reconnection });
const b = rtioClient(url, { forceNew: true, reconnection, transports: ["websocket"], ackTimeout: 5_000, retries: 2 });
await Promise.all([a, b].map((c) => new Promise<void>((resolve) => c.once("connect", () => resolve()))));
const reply = await b.emitWithAck("echo", 1);
await a.timeout(5_000).emitWithAck("echo", 2);
const got = new Promise<void>((resolve) => a.once("news", () => resolve()));
io.to("room").emit("news", 1);
await got;
if (a.io.engine.transport.name !== "websocket") await new Promise<void>((resolve) => a.io.engine.once("upgrade", () => resolve()));

if (mode === "client" || mode === "both") {
  a.disconnect();
  b.disconnect();
}
if (mode === "server" || mode === "both") {
  await io.close();
}
if (mode === "client") http.close();
console.log(JSON.stringify({ reply, mode }));
// No process.exit(): the parent tests that nothing is left holding this process.
