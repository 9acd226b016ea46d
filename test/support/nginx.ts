// A real nginx reverse proxy for tests: Debian's /usr/sbin/nginx with its own prefix, config,
// pid and logs in a temp dir, run as the current user in the foreground (`daemon off`, no
// master process) as a child process that `stop()` ends.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const NGINX = process.env.NGINX_BIN ?? "/usr/sbin/nginx";

export interface NginxOptions {
  /** The port of the upstream http server on 127.0.0.1. */
  upstreamPort: number;
  /** Whether WebSocket upgrades pass (`Upgrade`/`Connection` forwarded) or are stripped. */
  websocket: boolean;
}

export interface Nginx {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** nginx's error log so far, for failure messages. */
  errorLog(): string;
  stop(): Promise<void>;
}

function config(dir: string, port: number, { upstreamPort, websocket }: NginxOptions): string {
  const upgrade = websocket
    ? // The usual WebSocket proxying: forward the client's Upgrade, and Connection: upgrade with it.
      `proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection $connection_upgrade;`
    : // A proxy that does not know WebSocket: the upgrade headers never reach the server.
      `proxy_set_header Upgrade "";\n      proxy_set_header Connection "";`;
  return `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; "" close; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      ${upgrade}
      proxy_buffering off;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

/** A port free right now: the OS picks it, we release it for nginx. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once nginx has written its pid file, which it does after binding its listening
 * socket; rejects if nginx exits first (a taken port, a bad config).
 */
function ready(child: ChildProcess, dir: string): Promise<void> {
  const pidFile = join(dir, "nginx.pid");
  return new Promise((resolve, reject) => {
    const watcher = watch(dir, () => check());
    const onExit = (code: number | null) => {
      watcher.close();
      reject(new Error(`nginx exited with code ${code}: ${readLog(dir)}`));
    };
    function check(): void {
      if (!existsSync(pidFile) || readFileSync(pidFile, "utf8").trim() === "") return;
      watcher.close();
      child.off("exit", onExit);
      resolve();
    }
    child.once("exit", onExit);
    check();
  });
}

function readLog(dir: string): string {
  const file = join(dir, "error.log");
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

async function startOnce(opts: NginxOptions): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), "rtio-nginx-"));
  mkdirSync(join(dir, "tmp"));
  const port = await freePort();
  writeFileSync(join(dir, "nginx.conf"), config(dir, port, opts));
  // -e: the error log before the config is read, so nginx never touches /var/log.
  const child = spawn(NGINX, ["-p", `${dir}/`, "-e", join(dir, "error.log"), "-c", join(dir, "nginx.conf")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await ready(child, dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}${stderr}`);
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    errorLog: () => readLog(dir),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts nginx in front of `upstreamPort`; a port taken in between is retried on another. */
export async function startNginx(opts: NginxOptions): Promise<Nginx> {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx not found at ${NGINX}: install the Debian package (apt-get install nginx; scripts/setup.sh does)`);
  }
  let last: Error | undefined;
  for (let i = 0; i < 3; i++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      last = err as Error;
      if (!/Address already in use/.test(last.message)) throw last;
    }
  }
  throw last!;
}
