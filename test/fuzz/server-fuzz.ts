// Fuzzing a live rtio server: each case is a raw WebSocket client that joins "/", sends a
// fuzzed sequence of Socket.IO packets (text and binary), then a probe event with an ack.
// The connection must end one of two ways: closed by the server, or still answering the
// probe. Meanwhile a healthy client must keep receiving broadcasts and no built-in
// prototype may change.
import fc from "fast-check";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket } from "../../src/server/index.js";
import { HostileWs } from "../support/hostile-raw.js";
import { pool } from "../support/heap.js";
import { wireMessages } from "./inputs.js";
import { looksPolluted, prototypeSnapshot } from "./verdict.js";

export interface ServerFuzzStats {
  cases: number;
  seed: number;
  /** The server closed the connection. */
  closed: number;
  /** The connection still answered the probe. */
  alive: number;
  /** Neither within the safety timeout: a finding. */
  hung: number;
  /** Server-side disconnect reasons, counted. */
  reasons: Record<string, number>;
  /** Events the app received from fuzzed packets. */
  appEvents: number;
  healthyTicks: number;
  polluted: boolean;
  failures: string[];
}

const PROBE = '2987654["probe"]';
const PROBE_REPLY = '3987654["pong"]';

export async function fuzzServer(opts: { cases: number; seed: number; concurrency?: number; caseTimeoutMs?: number }): Promise<ServerFuzzStats> {
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: 100_000 });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const stats: ServerFuzzStats = { cases: 0, seed: opts.seed, closed: 0, alive: 0, hung: 0, reasons: {}, appEvents: 0, healthyTicks: 0, polluted: false, failures: [] };
  const protos = prototypeSnapshot();
  const onConnection = (socket: Socket) => {
    socket.on("probe", (ack: unknown) => typeof ack === "function" && (ack as (v: string) => void)("pong"));
    socket.onAny(() => stats.appEvents++);
    socket.on("disconnect", (reason: string) => (stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1));
  };
  io.on("connection", onConnection);
  io.of("/admin").on("connection", onConnection);

  const healthy = await HostileWs.connect(port);
  await healthy.join();
  let tick = 0;
  const healthyTick = async () => {
    const n = ++tick;
    io.emit("tick", n);
    await healthy.waitFor((p) => p === `2["tick",${n}]`);
    stats.healthyTicks++;
  };

  const samples = fc.sample(wireMessages, { numRuns: opts.cases, seed: opts.seed });
  try {
    await pool(samples.length, opts.concurrency ?? 8, async (i) => {
      const messages = samples[i]!;
      const raw = await HostileWs.connect(port);
      try {
        await raw.join();
        for (const m of messages) {
          if (typeof m === "string") raw.send(m);
          else raw.sendBinary(m);
        }
        raw.send(PROBE);
        let safety: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          raw.closed.then(() => "closed" as const),
          raw.waitFor((p) => p === PROBE_REPLY).then(() => "alive" as const, () => "closed" as const),
          new Promise<"hung">((resolve) => (safety = setTimeout(() => resolve("hung"), opts.caseTimeoutMs ?? 20_000))),
        ]);
        clearTimeout(safety);
        stats[outcome]++;
        if (outcome === "hung") stats.failures.push(`case ${i} hung: ${JSON.stringify(messages.map(String)).slice(0, 300)}`);
      } finally {
        raw.close();
        await raw.closed;
      }
      stats.cases++;
      if (prototypeSnapshot() !== protos || looksPolluted()) {
        stats.polluted = true;
        stats.failures.push(`case ${i} polluted a prototype: ${JSON.stringify(messages.map(String)).slice(0, 300)}`);
      }
      if (stats.cases % 50 === 0) await healthyTick();
    });
    await healthyTick();
    if (!healthy.isOpen) stats.failures.push("the healthy client was disconnected");
  } finally {
    healthy.close();
    await io.close();
  }
  return stats;
}
