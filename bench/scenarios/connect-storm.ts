/**
 * Connect storm: WebSocket connections opened as fast as two load generators can (50 in flight
 * each), then connections that start on HTTP long-polling and upgrade to WebSocket, again from
 * both load generators, 50 in flight each.
 *
 * Neither kind comes from a library client: the WebSocket connections from a bare-TCP client
 * (loadgen/net-client.ts) and the polling ones from a bare HTTP-plus-TCP client
 * (loadgen/poll-client.ts). The `ws` client costs its process ~0.7 of a socket.io server's CPU
 * per connection and socket.io-client on polling more than that; with two cores shared by
 * server and load generators that cost bounds the rate of every row alike, squeezing each
 * ratio toward 1 (bare engine.io measured only ~1.1× socket.io over `ws`, and every polling row
 * read ~1.0 over socket.io-client). The same clients drive every row (rtio, socket.io, bare
 * engine.io). A WebSocket connection counts once the server acknowledged the Socket.IO connect
 * (`40{"sid":...}`); a polling one once it also completed the upgrade (`3probe`, and the
 * pending long-poll ended); a round in which any fell short fails. Measures: connections per
 * second of each kind, the server's CPU time per connection of each kind, and the server heap
 * each connected idle socket holds (heap after GC with everyone connected, minus heap after GC
 * before the round's clients came).
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
  // No target either: the same for a connection that polls, connects and upgrades.
  { key: "pollCpu", label: "server CPU per polling + upgrade connection", unit: "µs", better: "lower" },
  // The load generators' CPU (both together) per connection: the share of the two cores the
  // server does not get, which bounds how far a cheaper server can raise the rate.
  { key: "wsLoadgenCpu", label: "load generators' CPU per WebSocket connection", unit: "µs", better: "lower" },
  { key: "pollLoadgenCpu", label: "load generators' CPU per polling + upgrade connection", unit: "µs", better: "lower" },
];

/** Restarts the load generators' CPU count. */
async function loadgenCpuStart(loadgens: Child[]): Promise<void> {
  await Promise.all(loadgens.map((lg) => lg.call("cpuStart")));
}

/** CPU ms of all load generators since `loadgenCpuStart`. */
async function loadgenCpuMs(loadgens: Child[]): Promise<number> {
  const each = await Promise.all(loadgens.map((lg) => lg.call<number>("cpu")));
  return each.reduce((a, b) => a + b, 0);
}

/**
 * Splits `total` connections over the load generators, opens them with `command` ("connectNet"
 * or "connectPollNet") and returns the wall time; fails unless every one of them completed.
 */
async function connectBare(loadgens: Child[], command: string, port: number, total: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  const counts = await Promise.all(
    loadgens.map((lg, i) => {
      const count = Math.floor(total / loadgens.length) + (i < total % loadgens.length ? 1 : 0);
      return lg.call<number>(command, { port, count, concurrency: 50, timeoutMs }, timeoutMs + 5_000);
    }),
  );
  const elapsed = performance.now() - start;
  const done = counts.reduce((a, b) => a + b, 0);
  if (done !== total) throw new Error(`connect-storm: ${done} of ${total} connections (${command}) completed`);
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
          await Promise.all([server.call("cpuStart"), loadgenCpuStart(loadgens)]);
          const wsMs = await connectBare(loadgens, "connectNet", port, wsCount, 60_000);
          const [wsCpuMs, wsLoadgenMs] = await Promise.all([server.call<number>("cpuStop"), loadgenCpuMs(loadgens)]);
          await Promise.all([server.call("cpuStart"), loadgenCpuStart(loadgens)]);
          const pollMs = await connectBare(loadgens, "connectPollNet", port, pollCount, 30_000);
          const [pollCpuMs, pollLoadgenMs] = await Promise.all([server.call<number>("cpuStop"), loadgenCpuMs(loadgens)]);
          await expectConnected(server, wsCount + pollCount, "connect-storm");
          const after = await server.call<{ heapUsed: number }>("heap");
          return {
            wsRate: wsCount / (wsMs / 1000),
            pollRate: pollCount / (pollMs / 1000),
            heap: (after.heapUsed - before.heapUsed) / (wsCount + pollCount),
            wsCpu: (wsCpuMs * 1000) / wsCount,
            pollCpu: (pollCpuMs * 1000) / pollCount,
            wsLoadgenCpu: (wsLoadgenMs * 1000) / wsCount,
            pollLoadgenCpu: (pollLoadgenMs * 1000) / pollCount,
          };
        } finally {
          await endRound(server, loadgens, "connect-storm");
        }
      });
      return {
        scenario: "connect-storm",
        description: `${wsCount} bare-TCP WebSocket connections, then ${pollCount} bare polling→websocket upgrades (2 load generators, 50 in flight each)`,
        metrics: METRICS,
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: [
          "connect-storm: the WebSocket clients are a bare-TCP client (no ws library) and the polling clients a bare node:http + TCP client (no socket.io-client), the same for every row, so only the server differs",
        ],
      };
    } finally {
      await shutdown([...loadgens, ...[...servers.values()].map((s) => s.server)]);
    }
  },
};
