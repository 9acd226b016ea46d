// `io.attachApp(app)`: the server on a uWebSockets.js app, through engine.io's uServer. The app
// is test/support/fake-uws.ts (uWebSockets.js cannot be installed here); socket.io 4.8's
// attachApp runs the same specs on it, which shows the fake is enough for socket.io's own use.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { Server as OfficialServer } from "socket.io";
import { Server } from "../../src/server/index.js";
import { App, us_socket_local_port, type FakeApp } from "../support/fake-uws.js";
import { endPendingCloses } from "../support/official-server.js";
import { clientsUnderTest, collect, connected, once, upgraded, type ClientOptions } from "../support/server-harness.js";

type AnyServer = Server | OfficialServer;

const SERVERS: Array<{ name: string; make: (opts?: object) => AnyServer }> = [
  { name: "rtio", make: (opts) => new Server(opts) },
  { name: "socket.io 4.8", make: (opts) => new OfficialServer(opts) },
];

const TRANSPORTS: Array<{ name: string; opts: ClientOptions }> = [
  { name: "polling", opts: { transports: ["polling"] } },
  { name: "websocket", opts: { transports: ["websocket"] } },
  { name: "polling then websocket", opts: {} },
];

interface Running {
  io: AnyServer;
  app: FakeApp;
  url: string;
  close(): Promise<void>;
}

const opened: Running[] = [];
after(async () => {
  for (const r of opened.splice(0)) await r.close();
});

async function start(make: (opts?: object) => AnyServer, opts: object = {}, setup?: (app: FakeApp) => void): Promise<Running> {
  const app = App();
  const io = make(opts);
  io.attachApp(app);
  setup?.(app);
  const token = await new Promise<Parameters<typeof us_socket_local_port>[0] | false>((resolve) => app.listen(0, resolve));
  assert.ok(token, "the fake app listens");
  const running: Running = {
    io,
    app,
    url: `http://127.0.0.1:${us_socket_local_port(token)}`,
    async close() {
      endPendingCloses(io.engine);
      await io.close();
      app.close();
      // Anything a handler threw would have crashed a uWebSockets.js process.
      assert.deepEqual(app.crashes, []);
    },
  };
  opened.push(running);
  return running;
}

async function stop(running: Running): Promise<void> {
  opened.splice(opened.indexOf(running), 1);
  await running.close();
}

const clients = await clientsUnderTest();

for (const server of SERVERS) {
  for (const client of clients) {
    describe(`attachApp: ${server.name} server, ${client.name}`, { timeout: 30_000 }, () => {
      for (const transport of TRANSPORTS) {
        it(`${transport.name}: handshake, acks and binary both ways, and a room broadcast`, async () => {
          const running = await start(server.make);
          const joined = new Promise<{ query: unknown; address: string; header: unknown; requestUrl: unknown }>((resolve) => {
            running.io.on("connection", (socket) => {
              socket.join("room");
              socket.on("echo", (value: unknown, cb: (v: unknown) => void) => cb(value));
              resolve({
                query: socket.handshake.query.who,
                address: socket.handshake.address,
                header: socket.handshake.headers["x-test"],
                requestUrl: socket.request.url,
              });
            });
          });
          const c = client.io(running.url, { forceNew: true, reconnection: false, query: { who: "ann" }, extraHeaders: { "x-test": "yes" }, ...transport.opts });
          try {
            await connected(c);
            const hs = await joined;
            assert.equal(hs.query, "ann");
            assert.match(hs.address, /127\.0\.0\.1/);
            assert.equal(hs.header, "yes");
            assert.equal(hs.requestUrl, "/socket.io/");
            if (transport.name === "polling then websocket") await upgraded(c);

            const sent = { text: "hi", bin: Buffer.from([1, 2, 3]) };
            const back = (await c.emitWithAck("echo", sent)) as { text: string; bin: Uint8Array };
            assert.equal(back.text, "hi");
            assert.deepEqual([...new Uint8Array(back.bin)], [1, 2, 3]);

            c.on("ask", (n: number, cb: (v: unknown) => void) => cb({ n: n + 1, bin: new Uint8Array([9]) }));
            const [socket] = [...running.io.of("/").sockets.values()];
            const reply = (await socket!.emitWithAck("ask", 41)) as { n: number; bin: Buffer };
            assert.equal(reply.n, 42);
            assert.deepEqual([...reply.bin], [9]);

            const news = collect<unknown>(c, "news", 3);
            running.io.to("room").emit("news", "one");
            running.io.to("room").emit("news", Buffer.from([7]));
            running.io.emit("news", "three");
            const got = await news;
            assert.equal(got[0], "one");
            assert.deepEqual([...new Uint8Array(got[1] as ArrayBuffer)], [7]);
            assert.equal(got[2], "three");
          } finally {
            c.disconnect();
            await stop(running);
          }
        });

        it(`${transport.name}: disconnects from either side give socket.io's reasons`, async () => {
          const running = await start(server.make);
          const reasons: string[] = [];
          running.io.on("connection", (socket) => socket.on("disconnect", (reason) => reasons.push(reason)));
          const c = client.io(running.url, { forceNew: true, reconnection: false, ...transport.opts });
          try {
            await connected(c);
            if (transport.name === "polling then websocket") await upgraded(c);
            const gone = once<[string]>(c, "disconnect");
            for (const socket of running.io.of("/").sockets.values()) socket.disconnect(true);
            assert.equal((await gone)[0], "io server disconnect");
            c.connect();
            await connected(c);
            const [socket] = [...running.io.of("/").sockets.values()];
            const left = once<[string]>(socket!, "disconnect");
            c.disconnect();
            assert.equal((await left)[0], "client namespace disconnect");
            assert.deepEqual(reasons, ["server namespace disconnect", "client namespace disconnect"]);
          } finally {
            c.disconnect();
            await stop(running);
          }
        });
      }

      it("io.close() ends every connection", async () => {
        const running = await start(server.make);
        const c = client.io(running.url, { forceNew: true, reconnection: false });
        await connected(c);
        await upgraded(c);
        const gone = once<[string]>(c, "disconnect");
        await stop(running);
        assert.equal((await gone)[0], "transport close");
      });

      it("recovers a session after a drop (connectionStateRecovery)", async () => {
        const running = await start(server.make, { connectionStateRecovery: {} });
        const c = client.io(running.url, { forceNew: true, reconnectionDelay: 10, reconnectionDelayMax: 10, transports: ["websocket"] });
        try {
          await connected(c);
          const firstId = c.id;
          const [socket] = [...running.io.of("/").sockets.values()];
          socket!.join("kept");
          running.io.emit("tick", 1);
          await once(c, "tick");
          // The server sees the connection go, and emits while the client is away.
          const left = once(socket!, "disconnect");
          c.io.engine.close();
          await left;
          running.io.to("kept").emit("tick", 2);
          const missed = once<[number]>(c, "tick");
          await once(c, "connect");
          assert.equal(c.recovered, true);
          assert.equal(c.id, firstId);
          assert.equal((await missed)[0], 2);
          const [again] = [...running.io.of("/").sockets.values()];
          assert.ok(again!.rooms.has("kept"));
        } finally {
          c.disconnect();
          await stop(running);
        }
      });

      it("runs engine middlewares (io.engine.use) and allowRequest", async () => {
        const running = await start(server.make, {
          allowRequest: (req: { _query: Record<string, string> }, fn: (err: string | null | undefined, ok: boolean) => void) => fn(null, req._query.who !== "mallory"),
        });
        running.io.engine.use((req: { user?: string }, _res: unknown, next: () => void) => {
          req.user = "ann";
          next();
        });
        const users: unknown[] = [];
        running.io.on("connection", (socket) => users.push((socket.request as unknown as { user?: string }).user));
        try {
          for (const transport of TRANSPORTS) {
            const c = client.io(running.url, { forceNew: true, reconnection: false, ...transport.opts });
            await connected(c);
            c.disconnect();
          }
          assert.deepEqual(users, ["ann", "ann", "ann"]);
          const refused = client.io(running.url, { forceNew: true, reconnection: false, query: { who: "mallory" }, transports: ["polling"] });
          const [err] = await once<[Error]>(refused, "connect_error");
          assert.ok(err instanceof Error);
          assert.equal(running.io.of("/").sockets.size, 0);
        } finally {
          await stop(running);
        }
      });
    });
  }
}

describe("attachApp: rtio's client bundles on the app", { timeout: 30_000 }, () => {
  const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  const built = existsSync(new URL("../../dist/rtio.min.js", import.meta.url));

  it("serves the bundles with the version as ETag, and leaves other paths to the app's routes", { skip: !built && "run `npm run build` first" }, async () => {
    const running = await start((opts) => new Server(opts), {}, (app) => {
      app.get("/*", (res) => void res.writeStatus("404 Not Found").end("the app's own 404"));
    });
    try {
      const res = await fetch(`${running.url}/socket.io/socket.io.min.js`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/javascript; charset=utf-8");
      assert.equal(res.headers.get("etag"), `"${version}"`);
      // Compressed as fetch accepts (it decompresses the text below), as on Node's http.
      assert.match(res.headers.get("content-encoding") ?? "", /^(br|gzip|deflate)$/);
      assert.equal(res.headers.get("vary"), "Accept-Encoding");
      assert.equal(await res.text(), readFileSync(new URL("../../dist/rtio.min.js", import.meta.url), "utf8"));

      const map = await fetch(`${running.url}/socket.io/socket.io.esm.min.js.map`);
      assert.equal(map.status, 200);
      assert.equal(map.headers.get("content-type"), "application/json; charset=utf-8");
      await map.arrayBuffer();

      const cached = await fetch(`${running.url}/socket.io/socket.io.js`, { headers: { "if-none-match": `"${version}"` } });
      assert.equal(cached.status, 304);

      const other = await fetch(`${running.url}/socket.io/other.js`);
      assert.equal(other.status, 404);
      assert.equal(await other.text(), "the app's own 404");
    } finally {
      await stop(running);
    }
  });

  it("adds the cors option's headers to the bundles", { skip: !built && "run `npm run build` first" }, async () => {
    const running = await start((opts) => new Server(opts), { cors: { origin: "https://app.example" } });
    try {
      const res = await fetch(`${running.url}/socket.io/socket.io.esm.min.js`, { headers: { origin: "https://app.example" } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
      await res.arrayBuffer();
    } finally {
      await stop(running);
    }
  });

  it("serves nothing with serveClient: false", async () => {
    const running = await start((opts) => new Server(opts), { serveClient: false });
    try {
      const res = await fetch(`${running.url}/socket.io/socket.io.js`);
      assert.equal(res.status, 404);
      await res.arrayBuffer();
    } finally {
      await stop(running);
    }
  });
});
