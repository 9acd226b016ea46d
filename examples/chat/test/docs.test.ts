// Every code sample of the docs runs here, so none of them rots. A fenced block tagged
// ```js run=<kind> (or html) is written to a file inside the package (so `import "rtio"`
// resolves to this package) with port 3000 replaced by a free one, then:
//   run=server   started; the official socket.io-client must connect to it (interop, too);
//   run=client   run against a reference rtio server (events "chat" and "hello", see below);
//   run=program  run to its end, exit code 0;
//   run=html     served by the reference server and opened in Chromium;
//   run=nginx    a whole nginx.conf: nginx runs it in front of two rtio servers (ports 3001,
//                3002), and the official client must connect through it and upgrade to WebSocket.
// A `<!-- output: text -->` line right after a block is text the sample must print (stdout, or
// the browser console). A js/html block with no run= tag fails the suite.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { io as officialClient } from "socket.io-client";
import { Server } from "../../../src/server/index.js";
import { launchChromium } from "./support.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const OUT = fileURLToPath(new URL(".samples/", import.meta.url));
const TIMEOUT = 20_000;
const KINDS = ["server", "client", "program", "html", "nginx"] as const;
type Kind = (typeof KINDS)[number];

interface Sample {
  /** `transports=websocket` in the info string: the harness's client uses WebSocket only. */
  websocketOnly: boolean;
  file: string;
  line: number;
  lang: string;
  kind: Kind | undefined;
  code: string;
  outputs: string[];
}

function markdownFiles(): string[] {
  const docs = join(ROOT, "docs");
  const files = existsSync(docs) ? readdirSync(docs, { recursive: true }).map(String).filter((f) => f.endsWith(".md")).map((f) => join(docs, f)) : [];
  return [join(ROOT, "README.md"), ...files.sort()];
}

export function extractSamples(file: string, text: string): Sample[] {
  const samples: Sample[] = [];
  const fence = /^```(\w*)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const [whole, lang = "", info = "", code = ""] = m;
    const kind = /\brun=(\w+)/.exec(info)?.[1];
    const rest = text.slice(m.index + whole.length);
    const outputs = [...(/^\s*((?:<!-- output: .*? -->\s*)+)/.exec(rest)?.[1] ?? "").matchAll(/<!-- output: (.*?) -->/g)].map((o) => o[1]!);
    if (kind !== undefined && !KINDS.includes(kind as Kind)) throw new Error(`${file}: unknown sample kind run=${kind}`);
    samples.push({ websocketOnly: /\btransports=websocket\b/.test(info), file: relative(ROOT, file), line: text.slice(0, m.index).split("\n").length, lang, kind: kind as Kind | undefined, code, outputs });
  }
  return samples;
}

const all = markdownFiles().flatMap((f) => extractSamples(f, readFileSync(f, "utf8")));
const runnable = all.filter((s) => s.kind !== undefined);

/** The reference server client samples talk to: the events the docs use. */
async function referenceServer(): Promise<{ port: number; pages: Map<string, string>; close(): Promise<void> }> {
  const pages = new Map<string, string>();
  const http: HttpServer = createServer((req, res) => {
    const page = pages.get(req.url ?? "");
    res.writeHead(page ? 200 : 404, { "Content-Type": "text/html" });
    res.end(page ?? "");
  });
  const io = new Server(http, { cors: { origin: "*" } });
  const onConnection = (socket: import("../../../src/server/index.js").Socket): void => {
    socket.emit("welcome", `welcome to ${socket.nsp.name}`);
    socket.on("chat", (text: unknown, ack?: (r: string) => void) => {
      socket.emit("chat", "server", text);
      if (typeof ack === "function") ack("delivered");
    });
    socket.on("hello", (name: unknown, ack?: (r: string) => void) => {
      if (typeof ack === "function") ack(`hello, ${String(name)}`);
    });
  };
  io.on("connection", onConnection);
  io.of("/admin").on("connection", onConnection);
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  return { port: (http.address() as AddressInfo).port, pages, close: () => io.close() };
}

async function freePort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await once(s, "listening");
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A throw-away redis-server for the samples that use Redis (port 6379 in the docs). */
async function startRedis(): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1 -::1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
      if (out.includes("Ready to accept connections")) resolve();
    });
    child.once("error", reject);
    void exited.then(() => reject(new Error(`redis-server exited:\n${out}`)));
  });
  return { port, stop: async () => { child.kill(); await exited; } };
}

let redisPort = 6379;

function fileFor(sample: Sample, port: number): string {
  currentPort = port;
  const code = sample.code.replace(/\b3000\b/g, String(port)).replace(/\b6379\b/g, String(redisPort));
  const ext = sample.kind === "html" ? "html" : sample.kind === "nginx" ? "conf" : /\brequire\(/.test(code) ? "cjs" : "mjs";
  const name = `${sample.file.replace(/[^\w]+/g, "_")}_${sample.line}.${ext}`;
  writeFileSync(join(OUT, name), code);
  return join(OUT, name);
}

/**
 * Runs a Node sample. `until(pred)` resolves once the output satisfies `pred` (checked again at
 * exit) and rejects if the process ends first without it, or ends with a non-zero code.
 */
function runNode(file: string) {
  const child = spawn(process.execPath, [file], { cwd: ROOT, env: { ...process.env, DEBUG: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = once(child, "exit") as Promise<[number | null, string | null]>;
  child.stdout.on("data", (c: Buffer) => (out += c));
  child.stderr.on("data", (c: Buffer) => (out += c));
  const until = (pred: (out: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const check = (): void => {
        if (pred(out)) resolve(out);
      };
      check();
      child.stdout.on("data", check);
      void exited.then(([code]) => {
        child.stdout.off("data", check);
        if (code === 0 && pred(out)) resolve(out);
        else reject(new Error(`sample exited with ${code}; output:\n${out}`));
      });
    });
  return {
    until,
    exit: async () => {
      const [code] = await exited;
      if (code !== 0) throw new Error(`sample exited with ${code}; output:\n${out}`);
      return out;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}

// Outputs may mention port 3000 too: it is replaced as in the code.
let currentPort = 0;
/** Runs an nginx.conf sample in front of two rtio servers; a client connects through it. */
async function runNginx(sample: Sample): Promise<void> {
  const backends = await Promise.all([0, 1].map(async () => {
    const http = createServer();
    const io = new Server(http);
    io.on("connection", (socket) => socket.on("hello", (name: string, ack: (r: string) => void) => ack(`hello, ${name}`)));
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    return { port: (http.address() as AddressInfo).port, close: () => io.close() };
  }));
  const port = await freePort();
  const prefix = join(OUT, `nginx-${sample.line}`);
  mkdirSync(join(prefix, "logs"), { recursive: true });
  const conf = `daemon off;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log;\n` +
    sample.code.replace(/\b3000\b/g, String(port)).replace(/\b3001\b/g, String(backends[0]!.port)).replace(/\b3002\b/g, String(backends[1]!.port))
      .replace(/^http \{/m, `http {\n  access_log off;\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;`);
  writeFileSync(join(prefix, "nginx.conf"), conf);
  const nginx = spawn("nginx", ["-p", prefix, "-c", join(prefix, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  nginx.stderr.on("data", (c: Buffer) => (out += c));
  const exited = once(nginx, "exit");
  const client = officialClient(`http://127.0.0.1:${port}`, { reconnectionDelay: 50, reconnectionDelayMax: 200 });
  try {
    const failed = exited.then(() => { throw new Error(`nginx exited:\n${out}`); });
    await Promise.race([new Promise((r) => client.once("connect", () => r(undefined))), failed]);
    // Through the proxy: polling first, then the WebSocket upgrade.
    if (client.io.engine.transport.name !== "websocket") {
      await Promise.race([new Promise((r) => client.io.engine.once("upgrade", () => r(undefined))), failed]);
    }
    assert.equal(await client.emitWithAck("hello", "nginx"), "hello, nginx");
  } finally {
    client.close();
    nginx.kill();
    await exited;
    await Promise.all(backends.map((b) => b.close()));
  }
}

const hasAll = (outputs: string[]) => (out: string) => outputs.every((o) => out.includes(o.replace(/\b3000\b/g, String(currentPort))));

describe("docs code samples", () => {
  let reference: Awaited<ReturnType<typeof referenceServer>>;
  let browser: Browser | undefined;

  before(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    reference = await referenceServer();
  });
  after(async () => {
    await browser?.close();
    await reference?.close();
  });

  test("every js/ts/html block of the docs is tagged to run", () => {
    const untagged = all.filter((s) => s.kind === undefined && /^(js|javascript|mjs|cjs|ts|typescript|html)$/.test(s.lang));
    assert.deepEqual(untagged.map((s) => `${s.file}:${s.line}`), []);
    assert.ok(runnable.length >= 10, `only ${runnable.length} samples found`);
  });

  for (const sample of runnable) {
    test(`${sample.file}:${sample.line} runs (${sample.kind})`, { timeout: TIMEOUT * 2 }, async () => {
      const redis = sample.code.includes("6379") ? await startRedis() : undefined;
      if (redis) redisPort = redis.port;
      try {
        // A free port is only free until someone takes it: another test on this machine may.
        await runSample(sample).catch((err: Error) => {
          if (!/EADDRINUSE/.test(err.message)) throw err;
          return runSample(sample);
        });
      } finally {
        await redis?.stop();
      }
    });
  }

  async function runSample(sample: Sample): Promise<void> {
    {
      if (sample.kind === "client") {
        const run = runNode(fileFor(sample, reference.port));
        try {
          await run.until(hasAll(sample.outputs));
        } finally {
          await run.stop();
        }
      } else if (sample.kind === "program") {
        const run = runNode(fileFor(sample, await freePort()));
        assert.ok(hasAll(sample.outputs)(await run.exit()), "expected output missing");
      } else if (sample.kind === "server") {
        const port = await freePort();
        const run = runNode(fileFor(sample, port));
        const client = officialClient(`http://127.0.0.1:${port}`, {
          reconnectionDelay: 50,
          reconnectionDelayMax: 200,
          auth: { token: "sample" },
          ...(sample.websocketOnly ? { transports: ["websocket"] } : {}),
        });
        try {
          // Connected, or the server died first (until() rejects on exit).
          await Promise.race([new Promise((resolve) => client.once("connect", () => resolve(undefined))), run.until(() => false)]);
          await run.until(hasAll(sample.outputs));
        } finally {
          client.close();
          await run.stop();
        }
      } else if (sample.kind === "nginx") {
        await runNginx(sample);
      } else {
        browser ??= await launchChromium();
        const path = `/${relative(OUT, fileFor(sample, reference.port))}`;
        reference.pages.set(path, readFileSync(join(OUT, path.slice(1)), "utf8"));
        const page = await browser.newPage();
        const logs: string[] = [];
        page.on("console", (m) => logs.push(m.text()));
        try {
          await page.goto(`http://127.0.0.1:${reference.port}${path}`);
          const deadline = Date.now() + TIMEOUT;
          while (!hasAll(sample.outputs)(logs.join("\n"))) {
            assert.ok(Date.now() < deadline, `console said:\n${logs.join("\n")}`);
            await page.waitForEvent("console", { timeout: TIMEOUT });
          }
        } finally {
          await page.close();
        }
      }
    }
  }
});
