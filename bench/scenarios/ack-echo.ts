/**
 * Ack echo: 50 real-library clients, each keeping 10 emitWithAck in flight against an echo
 * server. Rows are client/server pairings: rtio/rtio against socket.io/socket.io, plus both
 * cross pairings. Measures: server CPU per ack, client CPU per ack, acks per second.
 */
import { Child } from "../lib/proc.js";
import type { SocketIoImpl } from "../lib/impl.js";
import type { Metric } from "../lib/result.js";
import { alternate } from "../lib/rounds.js";
import { endRound, expectConnected, shutdown, startServers } from "./fleet.js";
import type { Scenario } from "./scenario.js";

const PAIRINGS: Record<string, { client: SocketIoImpl; server: SocketIoImpl }> = {
  rtio: { client: "rtio", server: "rtio" },
  "socket.io": { client: "socket.io", server: "socket.io" },
  "rtio client → socket.io server": { client: "rtio", server: "socket.io" },
  "socket.io-client → rtio server": { client: "socket.io", server: "rtio" },
};

const METRICS: Metric[] = [
  { key: "serverCpu", label: "server CPU per ack", unit: "µs", better: "lower", target: 0.8 },
  { key: "clientCpu", label: "client CPU per ack", unit: "µs", better: "lower", target: 0.85 },
  { key: "rate", label: "acks per second", unit: "acks/s", better: "higher", target: 1.15 },
];

const IMPLS: SocketIoImpl[] = ["rtio", "socket.io"];

async function startClients(): Promise<Map<SocketIoImpl, Child>> {
  const spawned = await Promise.all(IMPLS.map((impl) => Child.spawn("loadgen/ack-clients.ts", [impl], { label: `ack clients (${impl})` })));
  return new Map(IMPLS.map((impl, i) => [impl, spawned[i]!.child]));
}

export const ackEcho: Scenario = {
  name: "ack-echo",
  description: "50 clients (real client libraries), each keeping 10 emitWithAck in flight",
  async run(ctx) {
    const clients = 50;
    const perClient = ctx.quick ? 50 : 200;
    const [servers, clientProcs] = await Promise.all([startServers(IMPLS, "servers/ack-server.ts"), startClients()]);
    try {
      const rows = await alternate(Object.keys(PAIRINGS), ctx, async (row) => {
        const pairing = PAIRINGS[row]!;
        const { server, port } = servers.get(pairing.server)!;
        const client = clientProcs.get(pairing.client)!;
        try {
          await client.call("connect", { port, count: clients, timeoutMs: 10_000 }, 30_000);
          await expectConnected(server, clients, "ack-echo");
          // Warm-up, unmeasured: enough round trips for the JIT to settle on both sides.
          await client.call("run", { inflight: 10, perClient: Math.max(50, Math.ceil(perClient / 4)) }, 60_000);
          await server.call("cpuStart");
          const res = await client.call<{ acks: number; cpuMs: number; wallMs: number }>("run", { inflight: 10, perClient }, 120_000);
          const serverCpuMs = await server.call<number>("cpuStop");
          if (res.acks !== clients * perClient) throw new Error(`ack-echo: ${res.acks} acks, expected ${clients * perClient}`);
          return {
            serverCpu: (serverCpuMs * 1000) / res.acks,
            clientCpu: (res.cpuMs * 1000) / res.acks,
            rate: res.acks / (res.wallMs / 1000),
          };
        } finally {
          await endRound(server, [client], "ack-echo");
        }
      });
      return {
        scenario: "ack-echo",
        description: `${clients} clients × ${perClient} acks, 10 in flight per client, after an unmeasured warm-up`,
        metrics: METRICS,
        rows,
        baseline: "socket.io",
        subject: "rtio",
        notes: [],
      };
    } finally {
      await shutdown([...clientProcs.values(), ...[...servers.values()].map((s) => s.server)]);
    }
  },
};
