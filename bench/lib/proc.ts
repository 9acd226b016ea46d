/**
 * The driver side of the IPC: fork a bench child under tsx, wait for it to be ready, call its
 * commands with a hard timeout each, and kill it. Every wait fails with a message naming the
 * child and the command instead of hanging.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isChildMessage, type ChildMessage } from "./messages.js";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface SpawnOptions {
  /** How the child is named in errors, e.g. "fanout server (rtio)". */
  label: string;
  /** Time allowed to start and announce ready. */
  readyTimeoutMs?: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** All live children, so that a failing or interrupted run can kill every one of them. */
const live = new Set<Child>();

export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitError: Error | undefined;

  private constructor(
    readonly label: string,
    private readonly proc: ChildProcess,
  ) {
    live.add(this);
    proc.on("message", (m: unknown) => {
      if (isChildMessage(m)) this.onMessage(m);
    });
    proc.on("exit", (code, signal) => {
      live.delete(this);
      this.failAll(new Error(`${label} exited (code ${code}, signal ${signal})`));
    });
  }

  /** Forks `bench/<script>` with `args`, resolving with the child and the info it sent when ready. */
  static async spawn<Info = unknown>(script: string, args: string[], opts: SpawnOptions): Promise<{ child: Child; info: Info }> {
    const proc = fork(BENCH_DIR + script, args, {
      execArgv: ["--import", "tsx", "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const child = new Child(opts.label, proc);
    const info = await child.waitReady(opts.readyTimeoutMs ?? 30_000);
    return { child, info: info as Info };
  }

  private readyWaiter: Pending | undefined;

  private waitReady(timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`${this.label} was not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      this.readyWaiter = { resolve, reject, timer };
    });
  }

  /** Runs `cmd` in the child; rejects when it fails, the child exits, or `timeoutMs` passes. */
  call<T = unknown>(cmd: string, arg: unknown = null, timeoutMs = 60_000): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: '${cmd}' did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.proc.send({ kind: "call", id, cmd, arg });
    });
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
    live.delete(this);
  }

  private onMessage(m: ChildMessage): void {
    if (m.kind === "ready") {
      const w = this.readyWaiter;
      this.readyWaiter = undefined;
      if (w) {
        clearTimeout(w.timer);
        w.resolve(m.info);
      }
      return;
    }
    if (m.kind === "fatal") {
      this.failAll(new Error(`${this.label} crashed: ${m.error}`));
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(`${this.label}: ${m.error}`));
  }

  private failAll(err: Error): void {
    this.exitError ??= err;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    const w = this.readyWaiter;
    this.readyWaiter = undefined;
    if (w) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}

/** Kills every child still running; scenarios call it in `finally`, the driver on exit. */
export function killAll(): void {
  for (const c of [...live]) c.kill();
}

/** Runs `fn` with the children it spawns registered, killing them whatever happens. */
export async function withChildren<T>(fn: (spawned: Child[]) => Promise<T>): Promise<T> {
  const spawned: Child[] = [];
  try {
    return await fn(spawned);
  } finally {
    for (const c of spawned) c.kill();
  }
}
