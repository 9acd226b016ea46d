// The test's end of a cluster: server nodes as child processes (cluster-node.ts) driven over
// IPC, and the clients (rtio's and the official socket.io-client) spread over them.
import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { io as officialIo, type Socket as ClientSocket } from "socket.io-client";
import { io as rtioIo } from "../../src/client/index.js";
import type { NodeAdapterKind } from "./cluster-adapters.js";
import type { SocketInfo, Target } from "./cluster-commands.js";

export type { ClientSocket, SocketInfo, Target };

const NODE_ENTRY = new URL("./cluster-node.ts", import.meta.url).pathname;

export interface NodeOptions {
  name: string;
  /** The Redis url, for the Redis adapters. */
  redis?: string;
  /** The PostgreSQL url, for `adapter: "postgres"`. */
  postgres?: string;
  impl?: "rtio" | "socket.io";
  adapter?: NodeAdapterKind;
  recovery?: boolean;
  crashSafe?: boolean;
  /** crashSafeSessions' refreshInterval, in ms (default: its own). */
  crashSafeRefresh?: number;
  /** Listen on this port (a restarted node takes its old one); 0 by default. */
  port?: number;
}

interface Reply {
  type: "reply";
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** A server node in a child process. `events` re-emits what the node reports. */
export class ClusterNode {
  readonly events = new EventEmitter();
  readonly exited: Promise<void>;
  port = 0;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(
    readonly opts: NodeOptions,
    readonly child: ChildProcess,
  ) {
    this.events.setMaxListeners(0);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.on("message", (msg: { type: string; name?: string; args?: unknown[]; id?: number }) => {
      if (msg.type === "event") this.events.emit(msg.name!, ...msg.args!);
      else if (msg.type === "reply") this.settle(msg as Reply);
      else this.events.emit(msg.type, msg);
    });
    void this.exited.then(() => {
      for (const p of this.pending.values()) p.reject(new Error(`node ${opts.name} exited`));
      this.pending.clear();
    });
  }

  get name(): string {
    return this.opts.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private settle(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(reply.error));
  }

  /** Runs a command of cluster-commands.ts on the node. */
  call<T = unknown>(cmd: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ type: "call", id, cmd, args });
    });
  }

  /** Resolves with the args of the next `event` for which `match` holds (fails after a safety net). */
  next<T extends unknown[] = any[]>(event: string, match: (...args: T) => boolean = () => true, safetyMs = SAFETY_NET_MS): Promise<T> {
    return withSafetyNet(`${this.name}: ${event}`, safetyMs, (resolve) => {
      const listener = (...args: unknown[]) => {
        if (!match(...(args as T))) return;
        this.events.off(event, listener);
        resolve(args as T);
      };
      this.events.on(event, listener);
      return () => this.events.off(event, listener);
    });
  }

  /** Graceful: io.close(), Redis clients quit, process exits. */
  async shutdown(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.send({ type: "shutdown" });
    await this.exited;
  }

  /** SIGSTOP: the node stays subscribed to Redis but answers nothing, as a stuck process would. */
  freeze(): void {
    this.child.kill("SIGSTOP");
  }

  thaw(): void {
    this.child.kill("SIGCONT");
  }

  /** As a crash: no cleanup of any kind. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
}

export async function startNode(opts: NodeOptions): Promise<ClusterNode> {
  const child = fork(NODE_ENTRY, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      ...process.env,
      CLUSTER_NAME: opts.name,
      CLUSTER_REDIS: opts.redis ?? "",
      CLUSTER_POSTGRES: opts.postgres ?? "",
      CLUSTER_IMPL: opts.impl ?? "rtio",
      CLUSTER_ADAPTER: opts.adapter ?? "redis",
      CLUSTER_RECOVERY: opts.recovery ? "1" : "0",
      CLUSTER_CRASH_SAFE: opts.crashSafe ? "1" : "0",
      CLUSTER_PORT: String(opts.port ?? 0),
      CLUSTER_CRASH_SAFE_REFRESH: String(opts.crashSafeRefresh ?? 0),
    },
  });
  const node = new ClusterNode(opts, child);
  // Starting tsx on a loaded 2-core machine can take a while: a wide net for start-up.
  const ready = node.next<[{ port: number }]>("ready", () => true, 120_000);
  const failed = node.exited.then(() => {
    throw new Error(`node ${opts.name} exited before it was ready`);
  });
  const [{ port }] = await Promise.race([ready, failed]);
  node.port = port;
  return node;
}

/** Starts `specs.length` nodes and waits until every adapter sees all of them. */
export async function startCluster(specs: NodeOptions[]): Promise<ClusterNode[]> {
  const nodes = await Promise.all(specs.map(startNode));
  await Promise.all(nodes.map((n) => n.call("awaitServers", nodes.length)));
  return nodes;
}

export type ClientKind = "rtio" | "official";
const factories = { rtio: rtioIo, official: officialIo } as unknown as Record<ClientKind, typeof officialIo>;

export interface ClientOptions {
  kind: ClientKind;
  rooms?: string[];
  data?: Record<string, unknown>;
  transports?: Array<"polling" | "websocket">;
  reconnection?: boolean;
}

/** Connects a client to `url`; resolves once connected. Closed by `closeClients`. */
export async function connectClient(url: string, opts: ClientOptions, all: ClientSocket[]): Promise<ClientSocket> {
  const socket = factories[opts.kind](url, {
    forceNew: true,
    reconnection: opts.reconnection ?? false,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    transports: opts.transports ?? ["websocket"],
    auth: { rooms: opts.rooms ?? [], data: opts.data ?? {} },
  });
  all.push(socket);
  if (!socket.connected) {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      // With reconnection on, a failed first try is retried by the client itself.
      if (!opts.reconnection) socket.once("connect_error", reject);
    });
  }
  return socket;
}

export function closeClients(all: ClientSocket[]): void {
  for (const c of all.splice(0)) c.disconnect();
}

export function nextEvent<T extends unknown[] = any[]>(socket: ClientSocket, event: string): Promise<T> {
  return withSafetyNet(`client ${socket.id}: ${event}`, SAFETY_NET_MS, (resolve) => {
    const listener = (...args: unknown[]) => resolve(args as T);
    socket.once(event, listener);
    return () => socket.off(event, listener);
  });
}

/** Never a synchronisation: only turns a hang (a bug) into a failure that names what was awaited. */
const SAFETY_NET_MS = 20_000;

export function withSafetyNet<T>(what: string, ms: number, wait: (resolve: (v: T) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`never happened within ${ms} ms: ${what}`));
    }, ms);
    const stop = wait((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
