// The adapter contract: socket.io-adapter's own classes (what the Redis, Redis Streams and
// cluster adapters extend) must drive an rtio server unchanged.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { afterEach, describe, it } from "node:test";
import type { Adapter as RtioAdapter, AdapterConstructor, Socket } from "../../src/server/index.js";
import { clientsUnderTest, connected, once, startServer, type ClientSocket, type TestServer } from "../support/server-harness.js";

const require = createRequire(import.meta.url);
const reference = require("socket.io-adapter") as { Adapter: AdapterConstructor; SessionAwareAdapter: AdapterConstructor };
const [official] = await clientsUnderTest();

const forms: Array<{ name: string; adapter: AdapterConstructor }> = [
  { name: "socket.io-adapter's Adapter class", adapter: reference.Adapter },
  {
    name: "a factory (nsp) => adapter",
    adapter: (nsp) => new (reference.Adapter as new (n: unknown) => RtioAdapter)(nsp),
  },
];

for (const form of forms) {
  describe(`server with ${form.name}`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    async function peers(n: number): Promise<Array<{ c: ClientSocket; socket: Socket }>> {
      s = await startServer(official!, { adapter: form.adapter });
      const byId = new Map<string, Socket>();
      s.io.on("connection", (socket) => byId.set(socket.id, socket));
      const out = [];
      for (let i = 0; i < n; i++) {
        // Both transports: a pre-built WebSocket frame and a polling write.
        const c = await connected(s.connect("/", { transports: i % 2 ? ["polling"] : ["websocket"] }));
        out.push({ c, socket: byId.get(c.id!)! });
      }
      return out;
    }

    it("rooms, broadcasts with except, outgoing listeners", async () => {
      const [a, b, c] = await peers(3);
      assert.ok(s.io.of("/").adapter instanceof (reference.Adapter as unknown as typeof RtioAdapter));
      a!.socket.join("r");
      b!.socket.join(["r", "x"]);
      const outgoing: unknown[] = [];
      a!.socket.onAnyOutgoing((ev: unknown) => outgoing.push(ev));
      const got: unknown[][] = [[], [], []];
      [a, b, c].forEach((p, i) => p!.c.on("m", (v: unknown) => got[i]!.push(v)));
      s.io.to("r").except("x").emit("m", 1);
      s.io.to("r").emit("m", 2);
      s.io.emit("m", 3);
      const markers = [a, b, c].map((p) => once(p!.c, "marker"));
      s.io.emit("marker");
      await Promise.all(markers);
      assert.deepEqual(got, [[1, 2, 3], [2, 3], [3]]);
      assert.deepEqual(outgoing, ["m", "m", "m", "marker"]);
    });

    it("acks from many, fetchSockets, socketsJoin and disconnectSockets", async () => {
      const [a, b] = await peers(2);
      a!.c.on("q", (cb: (v: string) => void) => cb("a"));
      b!.c.on("q", (cb: (v: string) => void) => cb("b"));
      assert.deepEqual(((await s.io.timeout(5000).emitWithAck("q")) as string[]).sort(), ["a", "b"]);
      s.io.socketsJoin("all");
      const found = await s.io.in("all").fetchSockets();
      assert.equal(found.length, 2);
      assert.ok(a!.socket.rooms.has("all"));
      const gone = once<[string]>(b!.c, "disconnect");
      s.io.in(b!.socket.id).disconnectSockets();
      assert.equal((await gone)[0], "io server disconnect");
    });
  });
}

describe("server with socket.io-adapter's SessionAwareAdapter", { timeout: 20_000 }, () => {
  let s: TestServer;
  afterEach(() => s?.close());

  it("recovers a session and the missed events", async () => {
    s = await startServer(official!, { adapter: reference.SessionAwareAdapter, connectionStateRecovery: {} });
    const first = once<[Socket]>(s.io, "connection");
    const c = await connected(
      s.connect("/", { reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 20, randomizationFactor: 0, transports: ["websocket"] }),
    );
    const [socket] = await first;
    const received: unknown[] = [];
    c.on("e", (v: unknown) => received.push(v));
    const seen = once(c, "e");
    s.io.emit("e", 1);
    await seen;
    const dropped = once(socket, "disconnect");
    socket.conn.close();
    await dropped;
    s.io.emit("e", 2);
    const again = once<[Socket]>(s.io, "connection");
    await once(c, "connect");
    const [restored] = await again;
    assert.equal(restored.recovered, true);
    assert.equal(restored.id, socket.id);
    const marker = once(c, "marker");
    restored.emit("marker");
    await marker;
    assert.deepEqual(received, [1, 2]);
    // Its sweep interval is unref'd, so it cannot hold the process open.
  });
});
