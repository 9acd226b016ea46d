// One server node of a test cluster, run as a child process:
//   node --import tsx test/support/cluster-node.ts
// with CLUSTER_IMPL (rtio | socket.io), CLUSTER_ADAPTER (redis | sharded | streams | postgres),
// CLUSTER_REDIS (url) or, for postgres, CLUSTER_POSTGRES (url), CLUSTER_NAME, CLUSTER_RECOVERY=1
// (connection state recovery) and CLUSTER_CRASH_SAFE=1 (rtio's crash-safe sessions). It talks
// to the test over IPC: it sends `ready` with its port, `event`s (connections, room changes,
// server-side events) and `reply`s to the test's `call`s (cluster-harness.ts is the other end).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buildAdapter, type NodeAdapterKind } from "./cluster-adapters.js";
import { commandsFor, type AnyServer } from "./cluster-commands.js";

const name = process.env.CLUSTER_NAME ?? `node-${process.pid}`;
const impl = process.env.CLUSTER_IMPL ?? "rtio";
const kind = (process.env.CLUSTER_ADAPTER ?? "redis") as NodeAdapterKind;
const recovery = process.env.CLUSTER_RECOVERY === "1";
const crashSafe = process.env.CLUSTER_CRASH_SAFE === "1";

function send(message: unknown): void {
  if (!process.connected) return;
  try {
    process.send!(message);
  } catch (err) {
    // A value that cannot cross IPC is a bug in the command, reported as such.
    const id = (message as { id?: number }).id;
    process.send!({ type: "reply", id, ok: false, error: `unsendable reply: ${(err as Error).message}` });
  }
}
// An adapter failing in the background must show up in the test's output, not end the node.
process.on("unhandledRejection", (err) => {
  console.error(`[${process.env.CLUSTER_NAME}] unhandled rejection:`, err);
  send({ type: "event", name: "unhandled", args: [String(err)] });
});
const report = (event: string, ...args: unknown[]) => send({ type: "event", name: event, args });

const { Server } = (impl === "socket.io" ? await import("socket.io") : await import("../../src/server/index.js")) as {
  Server: new (http: unknown, opts: unknown) => AnyServer;
};

const storeEnv = kind === "postgres" ? "CLUSTER_POSTGRES" : "CLUSTER_REDIS";
const storeUrl = process.env[storeEnv];
if (!storeUrl) throw new Error(`[${name}] ${storeEnv} is not set: the ${kind} adapter needs it`);
const built = await buildAdapter(kind, storeUrl, () => report("redis-ready"));
let adapter = built.adapter;
let crashSafeStats: (() => unknown) | undefined;
if (crashSafe) {
  const { crashSafeSessions } = await import("../../src/cluster/index.js");
  const refresh = Number(process.env.CLUSTER_CRASH_SAFE_REFRESH ?? 0);
  const wrapped = crashSafeSessions(adapter as never, refresh > 0 ? { refreshInterval: refresh } : {});
  adapter = wrapped as never;
  crashSafeStats = () => wrapped.stats();
}

const http = createServer();
const io = new Server(http, {
  adapter,
  ...(recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true } } : {}),
});
const nsp = io.of("/");

// The app: each socket says which node it is on, joins the rooms it asked for, keeps `data`.
nsp.on("connection", (socket: AnyServer) => {
  if (!socket.recovered) {
    const auth = socket.handshake.auth as { rooms?: string[]; data?: Record<string, unknown> };
    socket.data = { ...(auth.data ?? {}), node: name };
    if (auth.rooms?.length) socket.join(auth.rooms);
  }
  socket.on("whoami", (cb: (node: string) => void) => cb(name));
  socket.on("set-data", (data: Record<string, unknown>, cb: () => void) => {
    socket.data = { ...socket.data, ...data };
    cb();
  });
  socket.on("join", (room: string, cb: () => void) => {
    void Promise.resolve(socket.join(room)).then(() => cb());
  });
  socket.on("disconnect", (reason: string) => report("disconnect", socket.id, reason));
  report("connection", { id: socket.id, recovered: socket.recovered, rooms: [...socket.rooms], data: socket.data });
});
nsp.adapter.on("join-room", (room: string, id: string) => room !== id && report("join-room", room, id));
nsp.adapter.on("leave-room", (room: string, id: string) => room !== id && report("leave-room", room, id));

const commands = commandsFor(io, name, report, crashSafeStats);
/**
 * Resolves once Redis has run every command this node sent so far: session writes are sent on
 * the next turn of the event loop, and a reply on a connection comes after those of earlier
 * commands on it.
 */
commands.redisBarrier = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all(built.clients.map((c) => c.ping()));
};

await new Promise<void>((resolve) => http.listen(Number(process.env.CLUSTER_PORT ?? 0), "127.0.0.1", resolve));

async function shutdown(): Promise<void> {
  await new Promise<void>((resolve) => io.close(() => resolve()));
  await built.close().catch((err: unknown) => console.error(`[${name}] closing the adapter's store:`, err));
  process.disconnect?.();
  process.exit(0);
}

process.on("message", (msg: { type: string; id: number; cmd: string; args: unknown[] }) => {
  if (msg.type === "shutdown") return void shutdown();
  if (msg.type !== "call") return;
  const command = commands[msg.cmd];
  if (!command) return send({ type: "reply", id: msg.id, ok: false, error: `unknown command ${msg.cmd}` });
  Promise.resolve()
    .then(() => command(...msg.args))
    .then(
      (value) => send({ type: "reply", id: msg.id, ok: true, value }),
      (err: unknown) => send({ type: "reply", id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
});
// The test process is gone: never outlive it.
process.on("disconnect", () => process.exit(0));

send({ type: "ready", port: (http.address() as AddressInfo).port });
