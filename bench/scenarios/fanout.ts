/**
 * Fan-out: N raw WebSocket clients, M broadcasts of a ~100-byte event to all of them, then M to
 * the room holding half of them. Measure: server CPU per 1,000 delivered messages.
 */
import type { Child } from "../lib/proc.js";
import { alternate } from "../lib/rounds.js";
import type { Metric } from "../lib/result.js";
import type { BroadcastArgs } from "../servers/broadcast-server.js";
import { connectAll, endRound, expectConnected, resetCounts, shutdown, startLoadgens, startServers, waitForFrames } from "./fleet.js";
import { serverRows, type Scenario } from "./scenario.js";

const METRICS: Metric[] = [
  { key: "all", label: "server CPU per 1k deliveries, to all", unit: "ms", better: "lower", target: 0.75 },
  { key: "room", label: "server CPU per 1k deliveries, to a room of half", unit: "ms", better: "lower", target: 0.75 },
];

/**
 * Brackets one broadcast phase with the server's CPU meter; returns CPU ms per 1,000 deliveries.
 * A tenth of the phase runs first, unmeasured, so that the JIT's first compilations of the
 * broadcast path are not billed to the implementation that happens to be cold.
 */
export async function measuredBroadcast(server: Child, loadgens: Child[], args: BroadcastArgs, receivers: number, timeoutMs: number): Promise<number> {
  const warm = { ...args, count: Math.max(1, Math.round(args.count / 10)) };
  await broadcastAndCount(server, loadgens, warm, receivers, timeoutMs);
  await server.call("cpuStart");
  await broadcastAndCount(server, loadgens, args, receivers, timeoutMs);
  const cpuMs = await server.call<number>("cpuStop");
  return cpuMs / ((receivers * args.count) / 1000);
}

async function broadcastAndCount(server: Child, loadgens: Child[], args: BroadcastArgs, receivers: number, timeoutMs: number): Promise<void> {
  const binary = args.kind === "binary";
  const expected = { text: receivers * args.count, binary: binary ? receivers * args.count : 0 };
  await resetCounts(loadgens);
  await server.call("broadcast", args, timeoutMs);
  await waitForFrames(loadgens, expected, timeoutMs, `broadcast to ${args.audience}`);
}

export const fanout: Scenario = {
  name: "fanout",
  description: "1,000 raw WebSocket clients; 200 broadcasts of a ~100-byte event to all, and 200 to a room of half",
  async run(ctx) {
    const clients = ctx.quick ? 200 : 1000;
    const count = ctx.quick ? 50 : 200;
    const impls = serverRows(ctx);
    const [servers, loadgens] = await Promise.all([startServers(impls, "servers/broadcast-server.ts"), startLoadgens(2)]);
    try {
      const rows = await alternate(impls, ctx, async (row) => {
        const { server, port } = servers.get(row)!;
        await server.call("newRound");
        try {
          await connectAll(loadgens, port, clients, 30_000);
          await expectConnected(server, clients, "fanout");
          const all = await measuredBroadcast(server, loadgens, { audience: "all", count, kind: "json" }, clients, 60_000);
          const room = await measuredBroadcast(server, loadgens, { audience: "half", count, kind: "json" }, Math.ceil(clients / 2), 60_000);
          return { all, room };
        } finally {
          await endRound(server, loadgens, "fanout");
        }
      });
      return {
        scenario: "fanout",
        description: `${clients} clients (2 load-generator processes), ${count} broadcasts each phase`,
        metrics: METRICS,
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
