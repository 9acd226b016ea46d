/**
 * The child side of the IPC: a child registers command handlers, announces itself ready, and
 * answers each call with a value or an error. Parent gone means this process is useless: exit.
 */
import { errorText, isCallMessage, type ChildMessage } from "./messages.js";

export type Handler = (arg: never) => unknown;
export type Handlers = Record<string, Handler>;

function send(msg: ChildMessage): void {
  if (process.send && process.connected) process.send(msg);
}

/** Answers the driver's calls with `handlers`; a handler may be async. */
export function serve(handlers: Handlers): void {
  if (!process.send) throw new Error("bench child scripts must be started by the bench driver (IPC channel missing)");
  process.on("message", (msg: unknown) => {
    if (!isCallMessage(msg)) return;
    const handler = handlers[msg.cmd];
    if (!handler) {
      send({ kind: "reply", id: msg.id, ok: false, error: `unknown command '${msg.cmd}'` });
      return;
    }
    Promise.resolve()
      .then(() => (handler as (arg: unknown) => unknown)(msg.arg))
      .then(
        (value) => send({ kind: "reply", id: msg.id, ok: true, value: value ?? null }),
        (err: unknown) => send({ kind: "reply", id: msg.id, ok: false, error: errorText(err) }),
      );
  });
  // The driver dying (or killing us) closes the channel: leave instead of lingering with open sockets.
  process.on("disconnect", () => process.exit(0));
  const fatal = (err: unknown) => {
    send({ kind: "fatal", error: errorText(err) });
    process.exit(1);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
}

export function ready(info: unknown = null): void {
  send({ kind: "ready", info });
}

/** CPU time (user + system) in milliseconds since `start`, as `process.cpuUsage()` reports it. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** Heap used after a full collection; needs `--expose-gc` (the driver always passes it). */
export function heapAfterGc(): { heapUsed: number; external: number; rss: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("global.gc is missing: child processes must run with --expose-gc");
  gc();
  gc();
  const m = process.memoryUsage();
  // `external` holds the Buffers queued for sockets that cannot write: what a slow consumer piles up.
  return { heapUsed: m.heapUsed, external: m.external, rss: m.rss };
}
