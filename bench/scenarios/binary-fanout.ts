/** Binary fan-out: a 64 KiB Buffer broadcast to 100 raw clients, 50 times. Measure: server CPU. */
import { parseImpl } from "../lib/impl.js";
import { alternate } from "../lib/rounds.js";
import { connectAll, expectConnected, shutdown, startLoadgens, startServer } from "./fleet.js";
import { measuredBroadcast } from "./fanout.js";
import type { Scenario } from "./scenario.js";

export const binaryFanout: Scenario = {
  name: "binary-fanout",
  description: "a 64 KiB Buffer to 100 raw WebSocket clients, 50 times",
  async run(ctx) {
    const clients = 100;
    const count = ctx.quick ? 15 : 50;
    // Load generators live for the whole scenario (their clients are closed after each round):
    // the same client processes drive every row, and the run skips a process start per round.
    const loadgens = await startLoadgens(1);
    const rows = await alternate(["rtio", "socket.io", "engine.io"], ctx, async (row) => {
      const { server, port } = await startServer("servers/broadcast-server.ts", parseImpl(row));
      try {
        await connectAll(loadgens, port, clients, 30_000);
        await expectConnected(server, clients, "binary-fanout");
        const perK = await measuredBroadcast(server, loadgens, { audience: "all", count, kind: "binary", size: 65_536, batch: 1 }, clients, 120_000);
        return { cpu: (perK * clients * count) / 1000 };
      } finally {
        await Promise.all(loadgens.map((lg) => lg.call("close")));
        await shutdown([server]);
      }
    }).finally(() => shutdown(loadgens));
    return {
      scenario: "binary-fanout",
      description: `${clients} clients, ${count} broadcasts of 64 KiB`,
      metrics: [{ key: "cpu", label: "server CPU for the whole fan-out", unit: "ms", better: "lower", target: 0.8 }],
      rows,
      baseline: "socket.io",
      subject: "rtio",
      notes: [],
    };
  },
};
