// A real, throwaway PostgreSQL server for the cluster tests: a fresh cluster (initdb) in a temp
// dir, on a free loopback port, trust auth, no fsync; stopped, and its dir removed, by the test's
// `after` hook. PostgreSQL refuses to run as root, so under root (as in CI) initdb and postgres
// run as the `postgres` system user that the Debian package creates.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redis.js";

const READY = /database system is ready to accept connections/;

export interface PostgresServer {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Stops the server (fast shutdown: clients are disconnected) and removes its directory. */
  stop(): Promise<void>;
}

/** POSTGRES_BIN, or the newest /usr/lib/postgresql/<version>/bin that has an initdb. */
function binDir(): string {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no initdb under ${root}/*/bin: install postgresql (scripts/setup.sh) or set POSTGRES_BIN`);
  return join(root, newest, "bin");
}

/** How to run the binaries: as ourselves, or as the `postgres` user when we are root. */
interface Runner {
  bin: string;
  dir: string;
  user?: { uid: number; gid: number };
}

function runner(dir: string): Runner {
  if (process.getuid?.() !== 0) return { bin: binDir(), dir };
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { bin: binDir(), dir, user: { uid: id("-u"), gid: id("-g") } };
}

function run(r: Runner, name: string, args: string[]): ChildProcess {
  // cwd: the temp dir, as the test's own cwd may be closed to the postgres user.
  const env = { ...process.env, LC_ALL: "C" };
  return spawn(join(r.bin, name), args, { cwd: r.dir, stdio: ["ignore", "pipe", "pipe"], env, ...r.user });
}

/** Resolves once `child` printed `until` (or exited 0 when there is none); rejects with its output otherwise. */
function outcome(child: ChildProcess, what: string, until?: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (until?.test(log)) {
        child.stdout!.off("data", onData);
        child.stderr!.off("data", onData);
        // Keep draining, so a chatty server never blocks on a full pipe.
        child.stdout!.resume();
        child.stderr!.resume();
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!until && code === 0) resolve();
      else reject(new Error(`${what} exited (${code})${until ? " before it was ready" : ""}:\n${log}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
    child.kill("SIGINT");
  });
}

async function launch(r: Runner, port: number): Promise<ChildProcess> {
  // Loopback only; durability off (a throwaway database); the unix socket in our own dir.
  const settings = {
    listen_addresses: "127.0.0.1",
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    unix_socket_directories: r.dir,
  };
  const args = ["-D", join(r.dir, "data"), "-p", String(port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const child = run(r, "postgres", args);
  await outcome(child, "postgres", READY);
  return child;
}

/** Starts PostgreSQL in a new temp dir; retries on another port if the chosen one was taken meanwhile. */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "rtio-pg-"));
  try {
    const r = runner(dir);
    if (r.user) chownSync(dir, r.user.uid, r.user.gid);
    await outcome(run(r, "initdb", ["-D", join(dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]), "initdb");
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      try {
        const child = await launch(r, port);
        return {
          port,
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          async stop() {
            await stopChild(child);
            rmSync(dir, { recursive: true, force: true });
          },
        };
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
