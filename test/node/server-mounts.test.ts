import assert from "node:assert/strict";
import { once as onceEvent } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { describe, it } from "node:test";
import { createRequire } from "node:module";
import { attach as attachEngine } from "engine.io";
import { Server as OfficialServer } from "socket.io";
import { Server } from "../../src/server/index.js";
import { RawEngineClient } from "../support/raw-engine.js";
import { clientsUnderTest, connected, once, upgraded, type ClientUnderTest } from "../support/server-harness.js";
import { endPendingCloses } from "../support/official-server.js";
import { selfSigned } from "../support/tls.js";

// express and koa ship no types here; these are the few members the tests use.
type RequestListener = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;
interface ExpressApp extends RequestListener {
  get(path: string, handler: (req: unknown, res: { send(body: string): void }) => void): void;
}
interface KoaApp {
  use(fn: (ctx: { body: unknown }) => void): void;
  callback(): RequestListener;
}
const require = createRequire(import.meta.url);
const express = require("express") as () => ExpressApp;
const Koa = require("koa") as new () => KoaApp;

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

async function listen(http: HttpServer): Promise<number> {
  http.listen(0, "127.0.0.1");
  await onceEvent(http, "listening");
  return (http.address() as AddressInfo).port;
}

/** Connects a client, checks an ack round trip, and closes it. */
async function roundTrip(client: ClientUnderTest, io: Server, url: string, opts = {}): Promise<void> {
  io.on("connection", (socket) => socket.on("echo", (v: unknown, cb: (v: unknown) => void) => cb(v)));
  const c = client.io(url, { forceNew: true, reconnection: false, ...opts });
  try {
    await connected(c);
    assert.equal(await c.emitWithAck("echo", "ok"), "ok");
  } finally {
    c.disconnect();
  }
}

for (const client of await clientsUnderTest()) {
  describe(`server: mounting (${client.name})`, { timeout: 20_000 }, () => {
    it("works on an Express app, which keeps serving its own routes", async () => {
      const app = express();
      app.get("/hello", (_req, res) => void res.send("world"));
      const http = createServer(app);
      const io = new Server(http);
      const port = await listen(http);
      try {
        await roundTrip(client, io, `http://127.0.0.1:${port}`);
        assert.equal(await (await fetch(`http://127.0.0.1:${port}/hello`)).text(), "world");
      } finally {
        await io.close();
      }
    });

    it("works on a Koa app", async () => {
      const app = new Koa();
      app.use((ctx) => {
        ctx.body = "koa";
      });
      const http = createServer(app.callback());
      const io = new Server(http);
      const port = await listen(http);
      try {
        await roundTrip(client, io, `http://127.0.0.1:${port}`);
        assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "koa");
      } finally {
        await io.close();
      }
    });

    it("new Server(port) creates and listens on its own http server", async () => {
      const io = new Server(0);
      await onceEvent(io.httpServer!, "listening");
      const port = (io.httpServer!.address() as AddressInfo).port;
      try {
        await roundTrip(client, io, `http://127.0.0.1:${port}`);
      } finally {
        await io.close();
      }
    });

    it("new Server(opts) then attach() / listen(), with a custom path", async () => {
      const io = new Server({ path: "/my-path/" });
      const http = createServer();
      io.listen(http);
      const port = await listen(http);
      try {
        assert.equal(io.path(), "/my-path");
        await roundTrip(client, io, `http://127.0.0.1:${port}`, { path: "/my-path" });
      } finally {
        await io.close();
      }
    });

    it("works on an https server, and the handshake says secure", { skip: !selfSigned() && "openssl not available" }, async () => {
      const { key, cert } = selfSigned()!;
      const https = createHttpsServer({ key, cert });
      const io = new Server(https);
      https.listen(0, "127.0.0.1");
      await onceEvent(https, "listening");
      const port = (https.address() as AddressInfo).port;
      try {
        const seen = once<[{ handshake: { secure: boolean } }]>(io, "connection");
        await roundTrip(client, io, `https://127.0.0.1:${port}`, { rejectUnauthorized: false });
        assert.equal((await seen)[0].handshake.secure, true);
      } finally {
        await io.close();
      }
    });

    it("bind() uses an engine.io server created by the app", async () => {
      const http = createServer();
      const engine = attachEngine(http, { path: "/socket.io/" });
      const io = new Server({ serveClient: false });
      io.bind(engine);
      const port = await listen(http);
      try {
        assert.equal(io.engine, engine);
        await roundTrip(client, io, `http://127.0.0.1:${port}`);
      } finally {
        await io.close();
        await new Promise((resolve) => http.close(resolve));
      }
    });

    it("refuses to attach to an express handler function", () => {
      const io = new Server();
      assert.throws(() => io.attach(express() as never), /Please pass a http.Server instance/);
    });
  });
}

describe("server: engine.io options and client bundles", { timeout: 20_000 }, () => {
  async function start(opts: ConstructorParameters<typeof Server>[1] = {}): Promise<{ io: Server; port: number; base: string }> {
    const http = createServer();
    const io = new Server(http, opts);
    const port = await listen(http);
    return { io, port, base: `http://127.0.0.1:${port}` };
  }

  it("serves the client bundles under the path with an ETag, and 304 on If-None-Match", async () => {
    const { io, base } = await start();
    try {
      const res = await fetch(`${base}/socket.io/socket.io.js`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("etag"), `"${version}"`);
      assert.match(res.headers.get("content-type")!, /application\/javascript/);
      const body = await res.text();
      assert.equal(body, readFileSync(new URL("../../dist/rtio.js", import.meta.url), "utf8"));
      const cached = await fetch(`${base}/socket.io/socket.io.js`, { headers: { "If-None-Match": `"${version}"` } });
      assert.equal(cached.status, 304);
      await cached.text();
      for (const name of ["socket.io.min.js", "socket.io.esm.min.js", "socket.io.msgpack.min.js", "socket.io.js.map", "socket.io.min.js.map"]) {
        const r = await fetch(`${base}/socket.io/${name}`);
        assert.equal(r.status, 200, name);
        await r.arrayBuffer();
      }
      const map = await fetch(`${base}/socket.io/socket.io.min.js.map`);
      assert.match(map.headers.get("content-type")!, /application\/json/);
      await map.text();
    } finally {
      await io.close();
    }
  });

  it("applies the cors option to the bundles, as socket.io does, so another origin can import the ES module", async () => {
    const origin = "https://app.example";
    const open = await start({ cors: { origin } });
    const closed = await start();
    try {
      const esm = `/socket.io/socket.io.esm.min.js`;
      const res = await fetch(open.base + esm, { headers: { Origin: origin } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("access-control-allow-origin"), origin);
      await res.text();
      const preflight = await fetch(open.base + esm, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "GET" } });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), origin);
      await preflight.text();
      const without = await fetch(closed.base + esm, { headers: { Origin: origin } });
      assert.equal(without.headers.get("access-control-allow-origin"), null);
      await without.text();
    } finally {
      await Promise.all([open.io.close(), closed.io.close()]);
    }
  });

  it("does not serve the bundles with serveClient: false", async () => {
    const { io, base } = await start({ serveClient: false });
    try {
      const res = await fetch(`${base}/socket.io/socket.io.js`);
      assert.notEqual(res.status, 200);
      await res.text();
    } finally {
      await io.close();
    }
  });

  it("keeps CORS closed unless configured", async () => {
    const closed = await start();
    try {
      const res = await fetch(`${closed.base}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: "https://evil.example" } });
      assert.equal(res.headers.get("access-control-allow-origin"), null);
      await res.text();
    } finally {
      await closed.io.close();
    }
    const open = await start({ cors: { origin: "https://app.example" } });
    try {
      const res = await fetch(`${open.base}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: "https://app.example" } });
      assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
      await res.text();
    } finally {
      await open.io.close();
    }
  });

  it("passes engine.io options through (pingInterval, pingTimeout, maxHttpBufferSize)", async () => {
    const { io, port } = await start({ pingInterval: 1234, pingTimeout: 567, maxHttpBufferSize: 100 });
    try {
      const raw = await RawEngineClient.connect(port);
      assert.equal(raw.handshake.pingInterval, 1234);
      assert.equal(raw.handshake.pingTimeout, 567);
      assert.equal(raw.handshake.maxPayload, 100);
      await raw.join();
      raw.send('2["big","' + "x".repeat(500) + '"]');
      await raw.closed;
    } finally {
      await io.close();
    }
  });

  it("honours allowRequest", async () => {
    const { io, base } = await start({ allowRequest: (req, cb) => cb(null, req.headers["x-ok"] === "yes") });
    try {
      const denied = await fetch(`${base}/socket.io/?EIO=4&transport=polling`);
      assert.equal(denied.status, 403);
      await denied.text();
      const allowed = await fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { "x-ok": "yes" } });
      assert.equal(allowed.status, 200);
      await allowed.text();
    } finally {
      await io.close();
    }
  });

  it("lets Engine.IO v3 clients (socket.io-client 2.x) in with allowEIO3, joined to '/' at once", async () => {
    const refused = await start();
    try {
      const res = await fetch(`${refused.base}/socket.io/?EIO=3&transport=polling`);
      assert.equal(res.status, 400);
      await res.text();
    } finally {
      await refused.io.close();
    }
    const { io, base } = await start({ allowEIO3: true });
    try {
      const connection = once(io, "connection");
      const res = await fetch(`${base}/socket.io/?EIO=3&transport=polling`);
      assert.equal(res.status, 200);
      const handshake = await res.text();
      assert.match(handshake, /0\{"sid":"[^"]+"/);
      const [socket] = (await connection) as [{ id: string; conn: { protocol: number } }];
      assert.equal(socket.conn.protocol, 3);
      const sid = /"sid":"([^"]+)"/.exec(handshake)![1]!;
      // socket.io 2.x uses the engine id as the socket id on "/".
      assert.equal(socket.id, sid);
      const poll = await fetch(`${base}/socket.io/?EIO=3&transport=polling&sid=${sid}`);
      assert.match(await poll.text(), /40/);
    } finally {
      await io.close();
    }
  });
});

describe("server: attach() options, merged as socket.io merges them", { timeout: 20_000 }, () => {
  const SERVERS: Array<[string, new () => Server]> = [
    ["rtio", Server],
    ["socket.io 4.8", OfficialServer as unknown as new () => Server],
  ];

  /** Where clients connect and bundles are served after `new Server(ctorOpts).attach(http, attachOpts)`. */
  async function layout(Ctor: new (opts?: object) => Server, ctorOpts: object, attachOpts: object) {
    // The app's own handler answers what neither the engine nor the bundle route takes.
    const http = createServer((_req, res) => void res.writeHead(404).end());
    const io = new Ctor(ctorOpts);
    io.attach(http, attachOpts);
    const port = await listen(http);
    try {
      const answers: Record<string, number> = {};
      for (const path of ["/socket.io", "/x", "/y"]) {
        const handshake = await fetch(`http://127.0.0.1:${port}${path}/?EIO=4&transport=polling`);
        const bundle = await fetch(`http://127.0.0.1:${port}${path}/socket.io.js`);
        answers[`${path} handshake`] = handshake.status;
        answers[`${path} bundle`] = bundle.status;
        await Promise.all([handshake.arrayBuffer(), bundle.arrayBuffer()]);
      }
      const open = await fetch(`http://127.0.0.1:${port}/x/?EIO=4&transport=polling`);
      const body = await open.text();
      return { answers, pingInterval: body.startsWith("0") ? (JSON.parse(body.slice(1)) as { pingInterval: number }).pingInterval : undefined, path: io.path() };
    } finally {
      endPendingCloses(io.engine);
      const closed = io.close();
      http.closeAllConnections();
      await closed;
    }
  }

  const cases: Array<[string, object, object]> = [
    ["attach()'s path puts the engine there; the bundles stay under io.path()", {}, { path: "/x" }],
    ["the constructor's path wins over attach()'s", { path: "/y" }, { path: "/x" }],
    ["the constructor's options win over attach()'s", { pingInterval: 7000 }, { path: "/x", pingInterval: 9000 }],
  ];
  for (const [name, ctorOpts, attachOpts] of cases) {
    it(name, async () => {
      const results = [];
      for (const [, Ctor] of SERVERS) results.push(await layout(Ctor, ctorOpts, attachOpts));
      assert.deepEqual(results[0], results[1], "rtio and socket.io 4.8 must agree");
    });
  }

  it("rtio: attach()'s path takes the engine, io.path() keeps the bundles, the constructor's pingInterval wins", async () => {
    const seen = await layout(Server, { pingInterval: 7000 }, { path: "/x", pingInterval: 9000 });
    assert.equal(seen.answers["/x handshake"], 200);
    assert.equal(seen.answers["/socket.io handshake"], 404, "the app answers: no engine there");
    assert.equal(seen.answers["/socket.io bundle"], 200);
    assert.equal(seen.path, "/socket.io");
    assert.equal(seen.pingInterval, 7000);
  });
});

// A migration runs rtio beside socket.io on one http server, each under its own path, until the
// last client moves: each engine must leave the other's requests and upgrades alone.
const officialClient = (await clientsUnderTest()).find((c) => c.name === "socket.io-client")!;
describe("server: two servers on one http server, each under its own path", { timeout: 30_000 }, () => {
  type Ctor = new (http: HttpServer, opts: object) => Server;
  const KINDS: Array<[string, Ctor]> = [
    ["rtio", Server as unknown as Ctor],
    ["socket.io 4.8", OfficialServer as unknown as Ctor],
  ];
  for (const [first, First] of KINDS) {
    for (const [second, Second] of KINDS) {
      if (first === "socket.io 4.8" && second === "socket.io 4.8") continue;
      it(`${first} at /a and ${second} at /b: each answers its own clients on every transport, and the app the rest`, async () => {
        const http = createServer((req, res) => void res.writeHead(200).end(`app ${req.url}`));
        const servers = [new First(http, { path: "/a" }), new Second(http, { path: "/b" })];
        servers.forEach((io, i) => io.on("connection", (socket) => socket.on("who", (cb: (v: string) => void) => cb("ab"[i]!))));
        const port = await listen(http);
        try {
          for (const [path, expected] of [["/a", "a"], ["/b", "b"]] as const) {
            for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
              const c = officialClient.io(`http://127.0.0.1:${port}`, { path, transports, forceNew: true, reconnection: false });
              try {
                await connected(c);
                assert.equal(await c.timeout(10_000).emitWithAck("who"), expected, `${path} over ${transports}`);
                if (transports.length === 2) await upgraded(c);
                assert.equal(c.io.engine.transport.name, transports.at(-1));
              } finally {
                c.disconnect();
              }
            }
          }
          assert.equal(await (await fetch(`http://127.0.0.1:${port}/other`)).text(), "app /other");
          for (const path of ["/a", "/b"]) assert.equal((await fetch(`http://127.0.0.1:${port}${path}/socket.io.min.js`)).status, 200, `${path}'s bundle`);
        } finally {
          for (const io of servers) endPendingCloses(io.engine);
          const closed = Promise.all(servers.map((io) => io.close()));
          http.closeAllConnections();
          await closed;
        }
      });
    }
  }
});
