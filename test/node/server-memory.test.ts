// What an idle connection keeps on the server: the first HTTP request is collected after the
// handshake, the strings thousands of connections repeat are kept once, and engine.io's
// over-sized per-connection arrays are trimmed without changing what engine.io sees.
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { Session } from "node:inspector";
import { afterEach, describe, it } from "node:test";
import type { Socket as EngineSocket } from "engine.io";
import type { Socket } from "../../src/server/index.js";
import { compactEngineSocket } from "../../src/server/engine-compact.js";
import { intern, internedCount } from "../../src/server/intern.js";
import { settledHeap } from "../support/heap.js";
import { clientsUnderTest, collect, connected, once, startBoundServer, startServer, type TestServer } from "../support/server-harness.js";

/** How many strings in this process's heap read exactly `value` (from a heap snapshot). */
async function copiesInHeap(values: string[]): Promise<number[]> {
  await settledHeap();
  const session = new Session();
  session.connect();
  const chunks: string[] = [];
  session.on("HeapProfiler.addHeapSnapshotChunk", (m) => chunks.push(m.params.chunk));
  await new Promise<void>((resolve, reject) =>
    session.post("HeapProfiler.takeHeapSnapshot", { reportProgress: false }, (err) => (err ? reject(err) : resolve())),
  );
  session.disconnect();
  const snap = JSON.parse(chunks.join("")) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields.length;
  const types = snap.snapshot.meta.node_types[0];
  const counts = values.map(() => 0);
  for (let i = 0; i < snap.nodes.length; i += fields) {
    if (!types[snap.nodes[i]!]!.includes("string")) continue;
    const at = values.indexOf(snap.strings[snap.nodes[i + 1]!]!);
    if (at >= 0) counts[at]!++;
  }
  return counts;
}

describe("intern table", () => {
  it("gives back an equal string, keeps long ones out and never holds more than its cap", () => {
    const s = ["ab", "c"].join("");
    assert.equal(intern(s), "abc");
    const before = internedCount();
    intern("x".repeat(300));
    assert.equal(internedCount(), before, "a long string is not kept");
    for (let i = 0; i < 5_000; i++) assert.equal(intern(`value-${i}`), `value-${i}`);
    assert.ok(internedCount() <= 1024, `the table holds ${internedCount()} strings`);
  });
});

describe("compactEngineSocket", () => {
  it("replaces engine.io's cleanup list by an equal copy, and leaves other shapes alone", () => {
    const fn = () => {};
    const list = [fn];
    const conn = { cleanupFn: list };
    compactEngineSocket(conn as unknown as EngineSocket);
    assert.notEqual(conn.cleanupFn, list);
    assert.deepEqual(conn.cleanupFn, [fn]);
    const other = { cleanupFn: "not a list" };
    compactEngineSocket(other as unknown as EngineSocket);
    assert.equal(other.cleanupFn, "not a list");
    assert.doesNotThrow(() => compactEngineSocket({} as EngineSocket));
  });
});

for (const client of await clientsUnderTest()) {
  describe(`server: memory of idle connections (${client.name})`, { timeout: 60_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    it("lets the first HTTP request of a WebSocket connection be collected", async () => {
      s = await startServer(client);
      let first: WeakRef<IncomingMessage> | undefined;
      s.http.prependListener("upgrade", (req: IncomingMessage) => (first ??= new WeakRef(req)));
      const next = once<[Socket]>(s.io, "connection");
      await connected(s.connect("/", { transports: ["websocket"] }));
      const [socket] = await next;
      assert.ok(first, "the upgrade request was seen");
      await settledHeap();
      assert.equal(first.deref(), undefined, "the IncomingMessage is still reachable");
      assert.equal(socket.request.headers.upgrade, "websocket");
    });

    const upgradeServers: Array<[string, () => Promise<TestServer>]> = [
      ["rtio's WebSocket server", () => startServer(client)],
      ["ws, with perMessageDeflate", () => startServer(client, { perMessageDeflate: true })],
      ["engine.io passed to io.bind()", () => startBoundServer(client)],
    ];
    for (const [engineName, start] of upgradeServers) {
      it(`lets a polling connection's requests and polling transport be collected once it upgraded (${engineName})`, async () => {
        s = await start();
        const requests: Array<WeakRef<IncomingMessage>> = [];
        s.http.prependListener("request", (req: IncomingMessage) => requests.push(new WeakRef(req)));
        s.http.prependListener("upgrade", (req: IncomingMessage) => requests.push(new WeakRef(req)));
        let polling: WeakRef<object> | undefined;
        const upgraded = new Promise<void>((resolve) =>
          s.io.engine.once("connection", (conn: EngineSocket) => {
            polling = new WeakRef(conn.transport);
            conn.once("upgrade", () => resolve());
          }),
        );
        const next = once<[Socket]>(s.io, "connection");
        await connected(s.connect("/", { transports: ["polling", "websocket"] }));
        const [socket] = await next;
        await upgraded;
        assert.equal(socket.conn.transport.name, "websocket");
        await settledHeap();
        assert.ok(requests.length >= 3, "a handshake, a poll or two and the upgrade");
        assert.deepEqual(requests.map((r) => r.deref() !== undefined), requests.map(() => false), "an HTTP request is still reachable");
        assert.equal(polling?.deref(), undefined, "the polling transport is still reachable");
        assert.equal(socket.request.url?.includes("transport=polling"), true);
      });
    }

    it("keeps the real request when engine middlewares ran", async () => {
      s = await startServer(client);
      s.io.engine.use((_req: IncomingMessage, _res: unknown, next: () => void) => next());
      let first: WeakRef<IncomingMessage> | undefined;
      s.http.prependListener("upgrade", (req: IncomingMessage) => (first ??= new WeakRef(req)));
      const next = once<[Socket]>(s.io, "connection");
      await connected(s.connect("/", { transports: ["websocket"] }));
      const [socket] = await next;
      await settledHeap();
      assert.equal(first?.deref(), socket.request);
    });

    it("socket.request reads like the request it replaces", async () => {
      s = await startServer(client);
      const next = once<[Socket]>(s.io, "connection");
      await connected(s.connect("/", { transports: ["websocket"] }));
      const [socket] = await next;
      const req = socket.request;
      assert.deepEqual(req.trailers, {});
      assert.equal(req.trailers, req.trailers, "the same trailers object on every read");
      (req as { trailers: NodeJS.Dict<string> }).trailers = { x: "1" };
      assert.deepEqual(req.trailers, { x: "1" });
      assert.equal(req.connection, req.socket);
      assert.equal(req.httpVersion, "1.1");
      const keys = Object.keys(req);
      for (const gone of ["_readableState", "_events", "rawTrailers"]) assert.ok(!keys.includes(gone), `${gone} kept`);
      for (const kept of ["rawHeaders", "url", "method", "socket", "_query"]) assert.ok(keys.includes(kept), `${kept} missing`);
    });

    it("keeps one copy of the header values, URL and time that every connection repeats", async () => {
      s = await startServer(client);
      const count = 20;
      // Built at run time, so the only copies are the client's one and whatever the server keeps.
      const agent = ["test-agent/1.0 ", "(memory) ".repeat(12), String(process.pid)].join("");
      const token = `tok${process.pid}`;
      const sockets = collect<Socket>(s.io, "connection", count);
      await Promise.all(
        Array.from({ length: count }, () =>
          connected(s.connect("/", { transports: ["websocket"], extraHeaders: { "x-agent": agent }, query: { token } })),
        ),
      );
      const got = await sockets;
      const url = got[0]!.handshake.url;
      assert.ok(got.every((socket) => socket.handshake.headers["x-agent"] === agent && socket.handshake.url === url));
      const times = new Set(got.map((socket) => socket.handshake.time)).size;
      const [agents, urls, timeCopies] = await copiesInHeap([agent, url, got[0]!.handshake.time]);
      // Without sharing: one copy per connection (20, plus the client's own).
      assert.ok(agents! <= 3, `${agents} copies of the User-Agent-like header`);
      assert.ok(urls! <= 3, `${urls} copies of the handshake URL`);
      assert.ok(timeCopies! <= times + 1, `${timeCopies} copies of the handshake time`);
    });

    it("a polling connection that upgrades still runs engine.io's cleanup when it closes", async () => {
      s = await startServer(client);
      const next = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect("/", { transports: ["polling", "websocket"] }));
      const [socket] = await next;
      const conn = socket.conn as unknown as { transport: { name: string; listenerCount(e: string): number } };
      if (conn.transport.name !== "websocket") await once(socket.conn, "upgrade");
      assert.equal(conn.transport.name, "websocket");
      const transport = conn.transport;
      const gone = once(socket, "disconnect");
      c.disconnect();
      await gone;
      await once(socket.conn, "close");
      assert.equal(transport.listenerCount("packet"), 0, "engine.io's transport listeners were removed");
    });
  });
}
