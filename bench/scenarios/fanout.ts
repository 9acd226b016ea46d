/**
 * Fan-out: N raw WebSocket clients, M broadcasts of a ~100-byte event to all of them, then M to
 * the room holding half of them. Measure: server CPU per 1,000 delivered messages.
 */
import type { Child } from "../lib/proc.js";
import { parseImpl } from "../lib/impl.js";
import { alternate } from "../lib/rounds.js";
import type { Metric } from "../lib/result.js";
import type { BroadcastArgs } from "../servers/broadcast-server.js";
import { connectAll, expectConnected, resetCounts, shutdown, startLoadgens, startServer, waitForFrames } from "./fleet.js";
import type { Scenario } from "./scenario.js";

const METRICS: Metric[] = [
  { key: "all", label: "server CPU per 1k deliveries, to all", unit: "ms", better: "lower", target: 0.75 },
  { key: "room", label: "server CPU per 1k deliveries, to a room of half", unit: "ms", better: "lower", target: 0.75 },
];

/** Brackets one broadcast phase with the server's CPU meter; returns CPU ms per 1,000 deliveries. */
export async function measuredBroadcast(server: Child, loadgens: Child[], args: BroadcastArgs, receivers: number, timeoutMs: number): Promise<number> {
  const binary = args.kind === "binary";
  const expected = { text: receivers * args.count, binary: binary ? receivers * args.count : 0 };
  await resetCounts(loadgens);
  await server.call("cpuStart");
  await server.call("broadcast", args, timeoutMs);
  await waitForFrames(loadgens, expected, timeoutMs, `broadcast to ${args.audience}`);
  const cpuMs = await server.call<number>("cpuStop");
  return cpuMs / ((receivers * args.count) / 1000);
}

export const fanout: Scenario = {
  name: "fanout",
  description: "1,000 raw WebSocket clients; 200 broadcasts of a ~100-byte event to all, and 200 to a room of half",
  async run(ctx) {
    const clients = ctx.quick ? 300 : 1000;
    const count = ctx.quick ? 50 : 200;
    // Load generators live for the whole scenario (their clients are closed after each round):
    // the same client processes drive every row, and the run skips a process start per round.
    const loadgens = await startLoadgens(2);
    const rows = await alternate(["rtio", "socket.io", "engine.io"], ctx, async (row) => {
      const { server, port } = await startServer("servers/broadcast-server.ts", parseImpl(row));
      try {
        await connectAll(loadgens, port, clients, 30_000);
        await expectConnected(server, clients, "fanout");
        const all = await measuredBroadcast(server, loadgens, { audience: "all", count, kind: "json" }, clients, 60_000);
        const room = await measuredBroadcast(server, loadgens, { audience: "half", count, kind: "json" }, Math.ceil(clients / 2), 60_000);
        return { all, room };
      } finally {
        await Promise.all(loadgens.map((lg) => lg.call("close")));
        await shutdown([server]);
      }
    }).finally(() => shutdown(loadgens));
    return {
      scenario: "fanout",
      description: `${clients} clients (2 load-generator processes), ${count} broadcasts each phase`,
      metrics: METRICS,
      rows,
      baseline: "socket.io",
      subject: "rtio",
      notes: [],
    };
  },
};
