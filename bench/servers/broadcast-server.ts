/**
 * The server of the fan-out, binary fan-out, connect-storm, slow-consumer and cluster scenarios.
 * argv: <rtio|socket.io|engine.io> [--redis <port>]. It listens on 127.0.0.1:0 and answers the
 * driver's commands; CPU is measured here, around the phase the driver brackets with
 * cpuStart/cpuStop, so that neither the driver nor the load generators are counted.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { loadServerModule, parseImpl, sourceOf } from "../lib/impl.js";
import { cpuMsSince, heapAfterGc, ready, serve } from "../lib/rpc.js";
import type { Audience, Broadcaster, Payload } from "./broadcaster.js";
import { eioBroadcaster } from "./eio-broadcaster.js";
import { redisAdapter } from "./redis-adapter.js";
import { sioBroadcaster } from "./sio-broadcaster.js";

export interface BroadcastArgs {
  audience: Audience;
  count: number;
  /** "json": a ~100-byte object (or `size` characters of text); "binary": a Buffer of `size` bytes; "stamp": the send time in ms. */
  kind: "json" | "binary" | "stamp";
  size?: number;
  /** Broadcasts per event-loop turn, so that writes flush between them as in a live app. */
  batch?: number;
}

const { positionals, values } = parseArgs({ allowPositionals: true, options: { redis: { type: "string" } } });
const impl = parseImpl(positionals[0]);
const http = createServer();
let closeAdapter = async (): Promise<void> => {};
let broadcaster: Broadcaster;
if (impl === "engine.io") {
  broadcaster = eioBroadcaster(http);
} else {
  const mod = await loadServerModule(impl);
  if (values.redis) {
    const redis = await redisAdapter(Number(values.redis), `bench-${impl}`);
    closeAdapter = redis.close;
    broadcaster = sioBroadcaster(mod, http, redis.adapter);
  } else {
    broadcaster = sioBroadcaster(mod, http);
  }
}

function payloadFor(args: BroadcastArgs, i: number): Payload {
  if (args.kind === "binary") return { kind: "binary", value: Buffer.alloc(args.size ?? 65_536, i & 0xff) };
  if (args.kind === "stamp") return { kind: "json", value: performance.timeOrigin + performance.now() };
  // About 100 bytes on the wire by default; `size` makes the text longer (the slow consumer's 1 KiB).
  const text = args.size ? "x".repeat(args.size) : "the quick brown fox jumps over the lazy dog, again and again!";
  return { kind: "json", value: { text, n: i } };
}

async function broadcast(args: BroadcastArgs): Promise<null> {
  const batch = args.batch ?? 10;
  const event = args.kind === "stamp" ? "t" : "message";
  const binary = args.kind === "binary" ? payloadFor(args, 0) : undefined;
  for (let i = 0; i < args.count; i++) {
    broadcaster.broadcast(args.audience, event, binary ?? payloadFor(args, i));
    if ((i + 1) % batch === 0) await new Promise((r) => setImmediate(r));
  }
  return null;
}

let cpuStart = process.cpuUsage();
serve({
  connected: () => broadcaster.connected(),
  newRound: () => {
    broadcaster.newRound();
    return null;
  },
  cpuStart: () => {
    cpuStart = process.cpuUsage();
    return null;
  },
  cpuStop: () => cpuMsSince(cpuStart),
  broadcast: (args: BroadcastArgs) => broadcast(args),
  heap: () => heapAfterGc(),
  memory: () => process.memoryUsage(),
  close: async () => {
    await broadcaster.close();
    await closeAdapter();
    return null;
  },
});
http.listen(0, "127.0.0.1", () => ready({ port: (http.address() as AddressInfo).port, source: sourceOf(impl) }));
