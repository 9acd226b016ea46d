/** A throw-away redis-server on a free loopback port, for the cluster scenario. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect, type AddressInfo } from "node:net";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, "127.0.0.1");
    sock.setTimeout(500, () => {
      sock.destroy();
      resolve(false);
    });
    sock.once("error", () => resolve(false));
    sock.once("connect", () => sock.write("PING\r\n"));
    sock.once("data", (d) => {
      sock.destroy();
      resolve(d.toString().startsWith("+PONG"));
    });
  });
}

export interface RedisHandle {
  port: number;
  stop(): void;
}

/** Starts redis-server without persistence; fails after `timeoutMs` if it never answers PING. */
export async function startRedis(timeoutMs = 10_000): Promise<RedisHandle> {
  const port = await freePort();
  const proc: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const spawnError = new Promise<never>((_, reject) => proc.once("error", (e) => reject(new Error(`cannot start redis-server: ${e.message}`))));
  const stop = () => {
    if (proc.exitCode === null) proc.kill("SIGKILL");
  };
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (await Promise.race([ping(port), spawnError])) return { port, stop };
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    stop();
    throw err;
  }
}
