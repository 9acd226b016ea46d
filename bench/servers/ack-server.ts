/**
 * The ack-echo server: every `echo` event is acknowledged with its own argument.
 * argv: <rtio|socket.io>. CPU is measured between the driver's cpuStart and cpuStop.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadServerModule, parseSocketIoImpl, sourceOf } from "../lib/impl.js";
import { cpuMsSince, ready, serve } from "../lib/rpc.js";

const impl = parseSocketIoImpl(process.argv[2]);
const mod = await loadServerModule(impl);
const http = createServer();
const io = new mod.Server(http);
io.on("connection", (socket) => {
  socket.on("echo", (data: unknown, ack: (data: unknown) => void) => ack(data));
});

let cpuStart = process.cpuUsage();
serve({
  connected: () => io.of("/").sockets.size,
  cpuStart: () => {
    cpuStart = process.cpuUsage();
    return null;
  },
  cpuStop: () => cpuMsSince(cpuStart),
  close: () => new Promise((resolve) => void io.close(() => resolve(null))),
});
http.listen(0, "127.0.0.1", () => ready({ port: (http.address() as AddressInfo).port, source: sourceOf(impl) }));
