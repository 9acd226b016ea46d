/**
 * Connect storm: raw WebSocket connections opened as fast as two load generators can (50 in
 * flight each), then socket.io-client connections that start on polling and upgrade. Measures:
 * connections per second of each kind, and the server heap each connected idle socket holds
 * (heap after GC with everyone connected, minus heap after GC before anyone came).
 */
import { parseImpl } from "../lib/impl.js";
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import { connectAll, expectConnected, shutdown, startLoadgens, startServer } from "./fleet.js";
import type { Scenario } from "./scenario.js";

const METRICS: Metric[] = [
  { key: "wsRate", label: "WebSocket connections per second", unit: "conn/s", better: "higher", target: 1.3 },
  { key: "pollRate", label: "polling + upgrade connections per second", unit: "conn/s", better: "higher", target: 1.3 },
  { key: "heap", label: "server heap per connected idle socket", unit: "bytes", better: "lower", target: 0.6 },
];

export const connectStorm: Scenario = {
  name: "connect-storm",
  description: "2,000 WebSocket connections, then 200 that start on polling and upgrade",
  async run(ctx) {
    const wsCount = ctx.quick ? 500 : 2000;
    const pollCount = ctx.quick ? 50 : 200;
    const loadgens = await startLoadgens(2);
    const rows = await alternate(["rtio", "socket.io", "engine.io"], ctx, async (row) => {
      const { server, port } = await startServer("servers/broadcast-server.ts", parseImpl(row));
      try {
        const before = await server.call<{ heapUsed: number }>("heap");
        const wsMs = await connectAll(loadgens, port, wsCount, 60_000);
        const t0 = performance.now();
        await loadgens[0]!.call("connectPolling", { port, count: pollCount, concurrency: 20, timeoutMs: 30_000 }, 90_000);
        const pollMs = performance.now() - t0;
        await expectConnected(server, wsCount + pollCount, "connect-storm");
        const after = await server.call<{ heapUsed: number }>("heap");
        return {
          wsRate: wsCount / (wsMs / 1000),
          pollRate: pollCount / (pollMs / 1000),
          heap: (after.heapUsed - before.heapUsed) / (wsCount + pollCount),
        };
      } finally {
        await Promise.all(loadgens.map((lg) => lg.call("close")));
        await shutdown([server]);
      }
    }).finally(() => shutdown(loadgens));
    return {
      scenario: "connect-storm",
      description: `${wsCount} raw WebSocket connections (2 load generators, 50 in flight each), then ${pollCount} socket.io-client polling→websocket`,
      metrics: METRICS,
      rows,
      baseline: "socket.io",
      subject: "rtio",
      notes: ["the polling clients are socket.io-client for every row, so only the server differs"],
    };
  },
};
