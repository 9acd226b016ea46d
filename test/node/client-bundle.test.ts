// The browser bundles (npm run build) connect to a real server: dist/rtio.min.js and
// dist/rtio.esm.min.js with the JSON codec, dist/rtio.msgpack.min.js with MessagePack. They
// run in this realm with `ws` standing in for the browser's WebSocket (websocket transport).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { WebSocket as WS } from "ws";
import { appWith } from "../support/app-fixture.js";
import { next } from "../support/client-fixtures.js";
import { official, type RunningServer } from "../support/official-server.js";

const dist = new URL("../../dist/", import.meta.url);
const built = ["rtio.min.js", "rtio.esm.min.js", "rtio.msgpack.min.js", "rtio.js"].every((f) => existsSync(new URL(f, dist)));
const require = createRequire(import.meta.url);

type IO = ((url: string, opts?: object) => any) & { Manager: Function; Socket: Function; protocol: number; io: unknown; connect: unknown };

/** Evaluates a classic (UMD) bundle as a CommonJS module would see it and returns its `io`. */
function loadClassic(file: string): IO {
  const mod = { exports: {} as unknown };
  new Function("module", "exports", readFileSync(new URL(file, dist), "utf8"))(mod, mod.exports);
  return mod.exports as IO;
}

async function roundTrip(io: IO, server: RunningServer): Promise<void> {
  server.io.once("connection", (s) => s.on("echo", (v: unknown, b: unknown, ack: (...a: unknown[]) => void) => ack(v, b)));
  const socket = io(server.url, { forceNew: true, transports: ["websocket"] });
  try {
    await next(socket, "connect");
    const [v, b] = await new Promise<unknown[]>((resolve) =>
      socket.emit("echo", { n: 1 }, new Uint8Array([1, 2]), (...a: unknown[]) => resolve(a)),
    );
    assert.deepEqual(v, { n: 1 });
    assert.deepEqual([...new Uint8Array(b as ArrayBuffer)], [1, 2]);
  } finally {
    socket.disconnect();
  }
}

describe("browser bundles", { skip: built ? false : "dist/ not built (npm run build)" }, () => {
  let server: RunningServer;
  let msgpackServer: RunningServer;
  const saved = (globalThis as { WebSocket?: unknown }).WebSocket;

  before(async () => {
    (globalThis as { WebSocket?: unknown }).WebSocket = WS;
    server = await official.start();
    msgpackServer = await official.start({ parser: require("socket.io-msgpack-parser") });
  });
  after(async () => {
    (globalThis as { WebSocket?: unknown }).WebSocket = saved;
    await server.close();
    await msgpackServer.close();
  });

  for (const file of ["rtio.js", "rtio.min.js"]) {
    it(`${file} defines io with Manager, Socket, protocol, io and connect, and talks to a server`, async () => {
      const io = loadClassic(file);
      assert.equal(typeof io, "function");
      assert.equal(typeof io.Manager, "function");
      assert.equal(typeof io.Socket, "function");
      assert.equal(io.protocol, 5);
      assert.equal(io.io, io);
      assert.equal(io.connect, io);
      await roundTrip(io, server);
    });
  }

  it("rtio.esm.min.js has the named exports of rtio and talks to a server", async () => {
    const esm = await import(pathToFileURL(new URL("rtio.esm.min.js", dist).pathname).href);
    for (const name of ["io", "connect", "default", "Manager", "Socket", "protocol"]) assert.ok(name in esm, name);
    assert.equal(esm.protocol, 5);
    await roundTrip(esm.io, server);
  });

  it("rtio.msgpack.min.js speaks MessagePack to a socket.io-msgpack-parser server", async () => {
    await roundTrip(loadClassic("rtio.msgpack.min.js"), msgpackServer);
  });

  it("has no debug output and a source map for each bundle", () => {
    for (const file of ["rtio.js", "rtio.min.js", "rtio.esm.min.js", "rtio.msgpack.min.js", "browser/index.js"]) {
      assert.ok(existsSync(new URL(file + ".map", dist)), file + ".map");
      assert.doesNotMatch(readFileSync(new URL(file, dist), "utf8"), /rtio:client:/, file);
    }
  });
});

// What an app's bundler makes of `import { io } from "rtio"` for browsers (the browser run of
// karma bundles it the same way and runs every browser spec on it).
describe("rtio in an app's own browser bundle", { skip: built ? false : "dist/ not built (npm run build)" }, () => {
  for (const [how, source] of [
    ["import", 'import { io } from "rtio";\nglobalThis.socket = io("/");\n'],
    ["require", 'const io = require("rtio");\nglobalThis.socket = io("/");\n'],
  ]) {
    it(`${how}: resolves to dist/browser/index.js, whose dependencies are the client's own, without debug`, async () => {
      const app = appWith("rtio", fileURLToPath(new URL("../../", import.meta.url)), source!);
      try {
        const result = await build({ absWorkingDir: app.dir, entryPoints: [app.entry], bundle: true, platform: "browser", format: "esm", write: false, metafile: true, logLevel: "silent" });
        const inputs = Object.keys(result.metafile.inputs);
        assert.ok(inputs.some((f) => f.endsWith("dist/browser/index.js")), `rtio resolved to: ${inputs.filter((f) => !f.includes("node_modules/")).join(", ")}`);
        const packages = new Set(inputs.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []));
        assert.deepEqual([...packages].sort(), ["@socket.io/component-emitter", "backo2", "engine.io-client", "engine.io-parser"]);
      } finally {
        app.remove();
      }
    });
  }
});
