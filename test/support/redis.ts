// A real redis-server for the cluster tests: on a free loopback port, nothing saved to disk,
// stopped by the test's `after` hook. `restart()` keeps the port, so connected clients see the
// server go away and come back, as in a Redis failover or restart.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

const REDIS_BIN = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
const READY = /Ready to accept connections/;

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Stops the server (SIGTERM), then starts a new one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the kernel picks it; redis-server takes it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function launch(port: number): Promise<ChildProcess> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"];
  const child = spawn(REDIS_BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (READY.test(log)) {
        child.stdout!.off("data", onData);
        // Keep draining, so a chatty server never blocks on a full pipe.
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.resume();
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${log}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Starts redis-server; retries on another port if the chosen one was taken meanwhile. */
export async function startRedis(): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(port);
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        async restart() {
          await stopChild(child);
          child = await launch(port);
        },
        stop: () => stopChild(child),
      };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
