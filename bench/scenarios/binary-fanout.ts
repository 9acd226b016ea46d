/** Binary fan-out: a 64 KiB Buffer broadcast to 100 raw clients, 50 times. Measure: server CPU. */
import { alternate } from "../lib/rounds.js";
import { connectAll, endRound, expectConnected, shutdown, startLoadgens, startServers } from "./fleet.js";
import { measuredBroadcast } from "./fanout.js";
import { serverRows, type Scenario } from "./scenario.js";

export const binaryFanout: Scenario = {
  name: "binary-fanout",
  description: "a 64 KiB Buffer to 100 raw WebSocket clients, 50 times",
  async run(ctx) {
    const clients = 100;
    const count = ctx.quick ? 15 : 50;
    const impls = serverRows(ctx);
    const [servers, loadgens] = await Promise.all([startServers(impls, "servers/broadcast-server.ts"), startLoadgens(1)]);
    try {
      const rows = await alternate(impls, ctx, async (row) => {
        const { server, port } = servers.get(row)!;
        try {
          await connectAll(loadgens, port, clients, 30_000);
          await expectConnected(server, clients, "binary-fanout");
          const perK = await measuredBroadcast(server, loadgens, { audience: "all", count, kind: "binary", size: 65_536, batch: 1 }, clients, 120_000);
          return { cpu: (perK * clients * count) / 1000 };
        } finally {
          await endRound(server, loadgens, "binary-fanout");
        }
      });
      return {
        scenario: "binary-fanout",
        description: `${clients} clients, ${count} broadcasts of 64 KiB`,
        metrics: [{ key: "cpu", label: "server CPU for the whole fan-out", unit: "ms", better: "lower", target: 0.8 }],
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: [],
      };
    } finally {
      await shutdown([...loadgens, ...[...servers.values()].map((s) => s.server)]);
    }
  },
};
