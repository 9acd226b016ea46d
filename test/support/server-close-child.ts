// Run as a child process by server-close.test.ts: starts a server with everything that
// holds a timer or a handle, connects clients, calls io.close(), and must then exit by itself.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect } from "socket.io-client";
import { Server } from "../../src/server/index.js";
import { RawEngineClient } from "./raw-engine.js";

const http = createServer();
const io = new Server(http, { connectionStateRecovery: {}, pingInterval: 100_000 });
io.of(/^\/dyn-\d+$/);
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
const port = (http.address() as AddressInfo).port;

let pendingAck: Promise<unknown> | undefined;
io.on("connection", (socket) => {
  socket.join("room");
  // An ack that will never come, with a long timer.
  pendingAck = socket.timeout(600_000).emitWithAck("never-answered").catch((err: Error) => err.message);
});

const client = connect(`http://127.0.0.1:${port}`, { reconnection: false });
const dyn = connect(`http://127.0.0.1:${port}/dyn-1`, { reconnection: false, forceNew: true });
await Promise.all([new Promise<void>((r) => client.once("connect", r)), new Promise<void>((r) => dyn.once("connect", r))]);
// A connection that never joins a namespace: its connectTimeout timer is pending.
const idle = await RawEngineClient.connect(port);
const broadcastAck = io.to("room").timeout(600_000).emitWithAck("broadcast-ack").catch((err: Error & { code?: string }) => err.code);

await io.close();
process.stdout.write(`closed ${await pendingAck} ${await broadcastAck}\n`);
void idle;
