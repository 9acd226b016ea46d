/**
 * Connect storm: raw WebSocket connections opened as fast as two load generators can (50 in
 * flight each), then socket.io-client connections that start on polling and upgrade. Measures:
 * connections per second of each kind, the server's CPU time per WebSocket connection, and the
 * server heap each connected idle socket holds (heap after GC with everyone connected, minus
 * heap after GC before the round's clients came).
 */
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import { connectAll, endRound, expectConnected, shutdown, startLoadgens, startServers } from "./fleet.js";
import { serverRows, type Scenario } from "./scenario.js";

const METRICS: Metric[] = [
  { key: "wsRate", label: "WebSocket connections per second", unit: "conn/s", better: "higher", target: 1.3 },
  { key: "pollRate", label: "polling + upgrade connections per second", unit: "conn/s", better: "higher", target: 1.3 },
  { key: "heap", label: "server heap per connected idle socket", unit: "bytes", better: "lower", target: 0.6 },
  // No target: the server's own cost of a WebSocket connection. The rate above is shared with
  // the load generators on the same cores, and their cost (~0.7 of a socket.io server's per
  // connection) narrows every ratio of it; this one is the server's alone.
  { key: "wsCpu", label: "server CPU per WebSocket connection", unit: "µs", better: "lower" },
];

export const connectStorm: Scenario = {
  name: "connect-storm",
  description: "2,000 WebSocket connections, then 200 that start on polling and upgrade",
  async run(ctx) {
    const wsCount = ctx.quick ? 300 : 2000;
    const pollCount = ctx.quick ? 30 : 200;
    const impls = serverRows(ctx);
    const [servers, loadgens] = await Promise.all([startServers(impls, "servers/broadcast-server.ts"), startLoadgens(2)]);
    try {
      const rows = await alternate(impls, ctx, async (row) => {
        const { server, port } = servers.get(row)!;
        try {
          const before = await server.call<{ heapUsed: number }>("heap");
          await server.call("cpuStart");
          const wsMs = await connectAll(loadgens, port, wsCount, 60_000);
          const wsCpuMs = await server.call<number>("cpuStop");
          const t0 = performance.now();
          await loadgens[0]!.call("connectPolling", { port, count: pollCount, concurrency: 50, timeoutMs: 30_000 }, 90_000);
          const pollMs = performance.now() - t0;
          await expectConnected(server, wsCount + pollCount, "connect-storm");
          const after = await server.call<{ heapUsed: number }>("heap");
          return {
            wsRate: wsCount / (wsMs / 1000),
            pollRate: pollCount / (pollMs / 1000),
            heap: (after.heapUsed - before.heapUsed) / (wsCount + pollCount),
            wsCpu: (wsCpuMs * 1000) / wsCount,
          };
        } finally {
          await endRound(server, loadgens, "connect-storm");
        }
      });
      return {
        scenario: "connect-storm",
        description: `${wsCount} raw WebSocket connections (2 load generators, 50 in flight each), then ${pollCount} socket.io-client polling→websocket`,
        metrics: METRICS,
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: ["connect-storm: the polling clients are socket.io-client for every row, so only the server differs"],
      };
    } finally {
      await shutdown([...loadgens, ...[...servers.values()].map((s) => s.server)]);
    }
  },
};
