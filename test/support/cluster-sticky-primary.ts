// A node:cluster primary that shares one port between rtio workers, with @socket.io/sticky
// so that every HTTP long-polling request of a session reaches the worker that holds it, and
// @socket.io/cluster-adapter so that the workers broadcast to each other's clients.
//   node --import tsx test/support/cluster-sticky-primary.ts   (STICKY_WORKERS=2)
// Sends { type: "ready", port, workers } to its parent over IPC once every worker is up.
import cluster from "node:cluster";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setupPrimary as setupClusterAdapter } from "@socket.io/cluster-adapter";
import { setupMaster as setupSticky } from "@socket.io/sticky";

const count = Number(process.env.STICKY_WORKERS ?? 2);
const httpServer = createServer();
// Round-robin spreads new sessions evenly even when they arrive together (least-connection
// counts a session only once its worker reports it).
setupSticky(httpServer, { loadBalancingMethod: "round-robin" });
setupClusterAdapter();
cluster.setupPrimary({
  exec: new URL("./cluster-sticky-worker.ts", import.meta.url).pathname,
  execArgv: ["--import", "tsx"],
  // Buffers (sticky's request chunks, binary packets) cross IPC as they are.
  serialization: "advanced",
});

await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
const pids: number[] = [];
await Promise.all(
  Array.from({ length: count }, () => {
    const worker = cluster.fork();
    return new Promise<void>((resolve) =>
      worker.on("message", (msg: { type?: string }) => {
        if (msg?.type !== "worker-ready") return;
        pids.push(worker.process.pid!);
        resolve();
      }),
    );
  }),
);
process.send!({ type: "ready", port: (httpServer.address() as AddressInfo).port, workers: pids });

function stop(): void {
  for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
  httpServer.close();
  process.disconnect?.();
}
process.on("message", (msg: { type?: string }) => msg?.type === "shutdown" && stop());
process.on("disconnect", () => {
  for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
  process.exit(0);
});
