/**
 * Slow consumer: one client stops reading (its ws socket is paused) while the server keeps
 * broadcasting ~1 KiB events to it and to a few healthy clients. Reports how much the server's
 * heap (after GC) and RSS grew, per implementation. No target: the issue asks that growth be
 * bounded, and the numbers show whether the server buffers everything it could not send.
 */
import { parseImpl } from "../lib/impl.js";
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import { connectAll, expectConnected, resetCounts, shutdown, startLoadgens, startServer, waitForFrames } from "./fleet.js";
import { serverRows, type Scenario } from "./scenario.js";

const METRICS: Metric[] = [
  { key: "heap", label: "server heap growth after GC", unit: "MiB", better: "lower" },
  { key: "external", label: "server external (Buffer) memory growth after GC", unit: "MiB", better: "lower" },
  { key: "rss", label: "server RSS growth", unit: "MiB", better: "lower" },
];

const MiB = 1024 * 1024;

interface Memory {
  heapUsed: number;
  external: number;
  rss: number;
}

export const slowConsumer: Scenario = {
  name: "slow-consumer",
  description: "broadcasting ~1 KiB events to 3 clients of which one stopped reading",
  async run(ctx) {
    const healthy = 2;
    // Loopback sockets absorb several MiB in kernel buffers before the server's own queues grow,
    // so the volume has to be well past that to show anything.
    const count = ctx.quick ? 12_000 : 30_000;
    // The paused client sits in its own load generator so the healthy ones can be counted exactly.
    const [healthyGen, slowGen] = await startLoadgens(2);
    const rows = await alternate(serverRows(ctx), ctx, async (row) => {
      const { server, port } = await startServer("servers/broadcast-server.ts", parseImpl(row));
      try {
        await connectAll([slowGen!], port, 1, 10_000);
        await connectAll([healthyGen!], port, healthy, 10_000);
        await expectConnected(server, healthy + 1, "slow-consumer");
        await slowGen!.call("pause", 1);
        const before = await server.call<Memory>("heap");
        await resetCounts([healthyGen!]);
        await server.call("broadcast", { audience: "all", count, kind: "json", size: 1000, batch: 20 }, 120_000);
        await waitForFrames([healthyGen!], { text: healthy * count, binary: 0 }, 120_000, "slow-consumer healthy clients");
        const after = await server.call<Memory>("heap");
        return {
          heap: (after.heapUsed - before.heapUsed) / MiB,
          external: (after.external - before.external) / MiB,
          rss: (after.rss - before.rss) / MiB,
        };
      } finally {
        await Promise.all([healthyGen!, slowGen!].map((lg) => lg.call("close")));
        await shutdown([server]);
      }
    }).finally(() => shutdown([healthyGen!, slowGen!]));
    return {
      scenario: "slow-consumer",
      description: `${count} broadcasts of ~1 KiB (${((count * 1000) / MiB).toFixed(0)} MiB to the paused client)`,
      metrics: METRICS,
      rows,
      baseline: "socket.io",
      subject: "rtio",
      notes: [`slow-consumer: ~${((count * 1000) / MiB).toFixed(0)} MiB were sent towards the paused client; growth near that means the server buffers all of it`],
    };
  },
};
