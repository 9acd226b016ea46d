/**
 * Cluster: three server nodes joined by @socket.io/redis-adapter over a local redis-server,
 * raw clients spread evenly over them, broadcasts from node 1 carrying their send time.
 * Measures: deliveries per second (all clients, all broadcasts, over the wall time from the
 * first broadcast to the last delivery) and the p99 of send-to-receive latency.
 */
import type { SocketIoImpl } from "../lib/impl.js";
import type { Child } from "../lib/proc.js";
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import { quantile } from "../lib/stats.js";
import { connectAll, expectConnected, resetCounts, shutdown, startLoadgens, startServerList, waitForFrames } from "./fleet.js";
// The test suite's redis-server helper: free port, no persistence, ready on its log line.
import { startRedis } from "../../test/support/redis.js";
import type { Scenario } from "./scenario.js";

const METRICS: Metric[] = [
  { key: "rate", label: "deliveries per second", unit: "msg/s", better: "higher", target: 1.1 },
  { key: "p99", label: "p99 latency", unit: "ms", better: "lower" },
  { key: "p50", label: "median latency", unit: "ms", better: "lower" },
  // Where the time goes, to tell whether the servers or the harness bound the rate.
  { key: "emitterCpu", label: "emitting node CPU per delivery", unit: "µs", better: "lower" },
  { key: "nodeCpu", label: "other nodes' CPU per delivery (each)", unit: "µs", better: "lower" },
  { key: "loadgenCpu", label: "load generators' CPU per delivery", unit: "µs", better: "lower" },
];

const NODES = 3;

export const cluster: Scenario = {
  name: "cluster",
  description: "broadcasts through Redis to raw clients spread over three server nodes",
  async run(ctx) {
    const perNode = ctx.quick ? 30 : 100;
    const count = ctx.quick ? 50 : 300;
    const redis = await startRedis();
    const loadgens = await startLoadgens(1).catch(async (e: unknown) => {
      await redis.stop();
      throw e;
    });
    const impls: SocketIoImpl[] = ["rtio", "socket.io"];
    const nodesOf = new Map<SocketIoImpl, Array<{ server: Child; port: number }>>();
    try {
      // Every node of both rows starts up front and stays; each row has its own Redis channels.
      for (const impl of impls) {
        nodesOf.set(impl, await startServerList(Array.from({ length: NODES }, () => impl), "servers/broadcast-server.ts", ["--redis", String(redis.port)]));
      }
      const rows = await alternate(impls, ctx, async (row) => {
        const nodes = nodesOf.get(row)!;
        try {
          for (const [i, { server, port }] of nodes.entries()) {
            await connectAll(loadgens, port, perNode, 30_000);
            await expectConnected(server, perNode, `cluster node ${i + 1}`);
          }
          const total = perNode * NODES;
          await resetCounts(loadgens, true);
          await Promise.all(nodes.map(({ server }) => server.call("cpuStart")));
          const t0 = performance.now();
          await nodes[0]!.server.call("broadcast", { audience: "all", count, kind: "stamp", batch: 5 }, 60_000);
          await waitForFrames(loadgens, { text: total * count, binary: 0 }, 60_000, "cluster broadcast");
          const wallMs = performance.now() - t0;
          const [emitterMs, ...nodeMs] = await Promise.all(nodes.map(({ server }) => server.call<number>("cpuStop")));
          const loadgenMs = (await Promise.all(loadgens.map((lg) => lg.call<number>("cpu")))).reduce((a, b) => a + b, 0);
          const latencies = (await Promise.all(loadgens.map((lg) => lg.call<number[]>("latencies")))).flat();
          const deliveries = total * count;
          return {
            rate: deliveries / (wallMs / 1000),
            p99: quantile(latencies, 0.99),
            p50: quantile(latencies, 0.5),
            emitterCpu: (emitterMs! * 1000) / deliveries,
            nodeCpu: (nodeMs.reduce((a, b) => a + b, 0) * 1000) / nodeMs.length / deliveries,
            loadgenCpu: (loadgenMs * 1000) / deliveries,
          };
        } finally {
          await Promise.all(loadgens.map((lg) => lg.call("close")));
          for (const { server } of nodes) await expectConnected(server, 0, "cluster (after closing the round's clients)");
        }
      });
      return {
        scenario: "cluster",
        description: `${NODES} nodes × ${perNode} raw clients, ${count} broadcasts from node 1 through Redis`,
        metrics: METRICS,
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: ["cluster: latency is measured from the server's send to the client's receive (same machine clock)"],
      };
    } finally {
      await shutdown([...loadgens, ...[...nodesOf.values()].flat().map((n) => n.server)]);
      await redis.stop();
    }
  },
};
