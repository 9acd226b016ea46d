/**
 * Connect storm: raw WebSocket connections opened as fast as two load generators can (50 in
 * flight each), then socket.io-client connections that start on polling and upgrade.
 *
 * The WebSocket connections come from a bare-TCP client (loadgen/net-client.ts), not from the
 * `ws` client the other scenarios use: `ws` costs its process ~0.7 of a socket.io server's CPU
 * per connection, and with two cores shared by server and load generators that cost bounds the
 * rate of every row alike, squeezing each ratio toward 1 (bare engine.io measured only ~1.1×
 * socket.io). The same client drives every row (rtio, socket.io, bare engine.io), and every
 * connection counts only once the server acknowledged the Socket.IO connect (`40{"sid":...}`);
 * a round in which any fell short fails. Measures:
 * connections per second of each kind, the server's CPU time per WebSocket connection, and the
 * server heap each connected idle socket holds (heap after GC with everyone connected, minus
 * heap after GC before the round's clients came).
 */
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import type { Child } from "../lib/proc.js";
import { endRound, expectConnected, shutdown, startLoadgens, startServers } from "./fleet.js";
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

/**
 * Splits `total` bare-TCP connections over the load generators, opens them and returns the wall
 * time; fails unless every one of them completed the Socket.IO connect.
 */
async function connectBare(loadgens: Child[], port: number, total: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  const counts = await Promise.all(
    loadgens.map((lg, i) => {
      const count = Math.floor(total / loadgens.length) + (i < total % loadgens.length ? 1 : 0);
      return lg.call<number>("connectNet", { port, count, concurrency: 50, timeoutMs }, timeoutMs + 5_000);
    }),
  );
  const elapsed = performance.now() - start;
  const done = counts.reduce((a, b) => a + b, 0);
  if (done !== total) throw new Error(`connect-storm: ${done} of ${total} WebSocket connections completed the Socket.IO connect`);
  return elapsed;
}

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
          const wsMs = await connectBare(loadgens, port, wsCount, 60_000);
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
        description: `${wsCount} bare-TCP WebSocket connections (2 load generators, 50 in flight each), then ${pollCount} socket.io-client polling→websocket`,
        metrics: METRICS,
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: [
          "connect-storm: the WebSocket clients are a bare-TCP client (no ws library) and the polling clients socket.io-client, the same for every row, so only the server differs",
        ],
      };
    } finally {
      await shutdown([...loadgens, ...[...servers.values()].map((s) => s.server)]);
    }
  },
};
