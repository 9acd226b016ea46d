// A worker of cluster-sticky-primary.ts: an rtio server on the primary's shared port (the
// primary hands it connections), with the cluster adapter between workers.
import { createServer } from "node:http";
import { createAdapter } from "@socket.io/cluster-adapter";
import { setupWorker } from "@socket.io/sticky";
import { Server } from "../../src/server/index.js";

const httpServer = createServer();
const io = new Server(httpServer, { adapter: createAdapter() as never });
// sticky's types name socket.io's Server class (private members included); it only uses
// `io.httpServer` and `io.engine`, which rtio's Server has.
setupWorker(io as never);

io.on("connection", (socket) => {
  socket.on("whoami", (cb: (me: { pid: number; transport: string }) => void) => cb({ pid: process.pid, transport: socket.conn.transport.name }));
  socket.on("shout", (value: unknown) => io.emit("m", value, process.pid));
});

process.send!({ type: "worker-ready" });
