// Leak tests: 10,000 connect/disconnect cycles, 10,000 room joins and leaves, 1,000
// recoveries. After each, the heap (after full GCs) is back within a small bound of where it
// started, and no timer, socket or listener is left behind.
import assert from "node:assert/strict";
import { afterEach, describe, it, type TestContext } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { activeResources, mib, pool, settledHeap, until } from "../support/heap.js";
import { HostileWs } from "../support/hostile-raw.js";
import { clientsUnderTest, once, startServer, type TestServer } from "../support/server-harness.js";

const [official] = await clientsUnderTest();
/** What a few hundred thousand transient objects may leave in V8's pools: far below a leak of 10,000 of anything. */
const BOUND = 3 * 1024 * 1024;
const KINDS = ["Timeout", "TCPSocketWrap", "Immediate"];

function resources(): Record<string, number> {
  const all = activeResources();
  return Object.fromEntries(KINDS.map((k) => [k, all[k] ?? 0]));
}

function listeners(s: TestServer): Record<string, number> {
  return {
    connection: s.io.of("/").listenerCount("connection"),
    engineConnection: s.io.engine.listenerCount("connection"),
    httpRequest: s.http.listenerCount("request"),
    httpUpgrade: s.http.listenerCount("upgrade"),
  };
}

function report(t: TestContext, what: string, before: number, after: number): void {
  t.diagnostic(`${what}: heap ${mib(before)} -> ${mib(after)} (${after >= before ? "+" : ""}${((after - before) / 1024).toFixed(0)} KiB)`);
}

/** One raw WebSocket client: connect, join "/", leave (a clean close, or a dropped TCP connection). */
async function connectCycle(s: TestServer, i: number): Promise<void> {
  const raw = await HostileWs.connect(s.port);
  await raw.join();
  if (i % 2 === 0) raw.close();
  else raw.terminate();
  await raw.closed;
}

describe("leaks", { timeout: 300_000 }, () => {
  let s: TestServer;
  afterEach(() => s.close());

  it("10,000 connect and disconnect cycles leave the heap, timers, sockets and listeners where they were", async (t) => {
    s = await startServer(official!);
    let connections = 0;
    s.io.on("connection", (socket: Socket) => {
      connections++;
      socket.on("message", () => {});
    });
    await pool(200, 25, (i) => connectCycle(s, i)); // warm-up: JIT, pools, ws buffers
    await until(() => s.io.engine.clientsCount === 0 && s.io.of("/").sockets.size === 0, "the warm-up clients left");
    const heap = await settledHeap();
    const res = resources();
    const lis = listeners(s);
    connections = 0;

    await pool(10_000, 50, (i) => connectCycle(s, i));
    await until(() => s.io.engine.clientsCount === 0 && s.io.of("/").sockets.size === 0, "every client left");
    const after = await settledHeap();
    report(t, "10,000 connect/disconnect", heap, after);
    assert.equal(connections, 10_000);
    assert.ok(after - heap < BOUND, `heap grew from ${mib(heap)} to ${mib(after)}`);
    await until(() => resources().TCPSocketWrap <= res.TCPSocketWrap!, "sockets closed");
    assert.deepEqual(resources(), res, "no timer or socket left behind");
    assert.deepEqual(listeners(s), lis, "no listener left behind");
  });

  it("10,000 room joins and leaves over the wire leave no room and no heap behind", async (t) => {
    s = await startServer(official!);
    s.io.on("connection", (socket: Socket) => {
      socket.on("join", (room: string) => socket.join(room));
      socket.on("leave", (room: string) => socket.leave(room));
      socket.on("sync", (ack: (n: number) => void) => ack(socket.rooms.size));
    });
    const clients = await Promise.all(Array.from({ length: 10 }, () => HostileWs.connect(s.port)));
    await Promise.all(clients.map((c) => c.join()));
    let ackId = 0;
    const sync = async (c: HostileWs): Promise<number> => {
      const id = ++ackId;
      c.send(`2${id}["sync"]`);
      const reply = (await c.waitFor((p) => typeof p === "string" && p.startsWith(`3${id}[`))) as string;
      return (JSON.parse(reply.slice(String(id).length + 1)) as [number])[0];
    };
    const round = async (count: number): Promise<void> => {
      await Promise.all(
        clients.map(async (c, k) => {
          for (let i = 0; i < count; i++) c.send(`2["join","room-${k}-${i}"]`);
          assert.equal(await sync(c), count + 1, "joined every room (and its own)");
          for (let i = 0; i < count; i++) c.send(`2["leave","room-${k}-${i}"]`);
          assert.equal(await sync(c), 1, "left every room");
        }),
      );
    };
    await round(100); // warm-up
    const before = await settledHeap();
    await round(1_000); // 10 clients x 1,000 rooms = 10,000 joins and leaves
    const after = await settledHeap();
    report(t, "10,000 room joins/leaves", before, after);
    assert.equal(s.io.of("/").adapter.rooms.size, clients.length, "only each socket's own room is left");
    assert.ok(after - before < BOUND, `heap grew from ${mib(before)} to ${mib(after)}`);
    for (const c of clients) c.close();
    await Promise.all(clients.map((c) => c.closed));
    await until(() => s.io.of("/").adapter.rooms.size === 0, "the own rooms went with their sockets");
  });

  it("1,000 recoveries leave the heap, the recovery store and the sockets bounded", async (t) => {
    // A small log, filled during the warm-up: what is left to grow is what would leak.
    s = await startServer(official!, { connectionStateRecovery: {}, maxRecoveryPackets: 50 });
    s.io.on("connection", (socket: Socket) => {
      if (!socket.recovered) socket.join("club");
    });
    const offsetOf = (p: string | Buffer) => (JSON.parse((p as string).slice(1)) as unknown[]).at(-1) as string;
    let recovered = 0;
    let tick = 0;
    /** One chain: connect once, then drop and recover `times` times. */
    const chain = async (times: number): Promise<void> => {
      let raw = await HostileWs.connect(s.port);
      const first = JSON.parse((await raw.join()).slice(1)) as { sid: string; pid: string };
      for (let i = 0; i < times; i++) {
        const n = ++tick;
        s.io.to(first.sid).emit("ev", n);
        const offset = offsetOf(await raw.waitFor((p) => typeof p === "string" && p.startsWith(`2["ev",${n},`)));
        const left = once(s.io.of("/").sockets.get(first.sid)!, "disconnect");
        raw.terminate();
        await left;
        raw = await HostileWs.connect(s.port);
        const again = JSON.parse((await raw.join("/", { pid: first.pid, offset })).slice(1)) as { sid: string };
        assert.equal(again.sid, first.sid, "recovered");
        recovered++;
      }
      raw.close();
      await raw.closed;
    };
    await Promise.all(Array.from({ length: 10 }, () => chain(10))); // warm-up
    await until(() => s.io.of("/").sockets.size === 0, "the warm-up sockets left");
    const before = await settledHeap();
    recovered = 0;
    await Promise.all(Array.from({ length: 20 }, () => chain(50)));
    await until(() => s.io.of("/").sockets.size === 0, "every socket left");
    const after = await settledHeap();
    report(t, "1,000 recoveries", before, after);
    assert.equal(recovered, 1_000);
    assert.ok(after - before < BOUND, `heap grew from ${mib(before)} to ${mib(after)}`);
    assert.deepEqual(s.io.of("/").adapter.rooms.get("club"), undefined, "no ghost left in a room");
  });
});
