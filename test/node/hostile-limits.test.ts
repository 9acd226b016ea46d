// Hostile clients that push on limits: oversize messages, floods of CONNECT and DISCONNECT,
// clients that never answer pings or never poll, and the limits a user can set (attachments,
// pending acks, recovery log, recovery store). The server lives, the offender goes with a
// reason that says why, healthy clients keep receiving, memory stays bounded.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { HostilePolling, HostileWs, connectHostile, type Transport } from "../support/hostile-raw.js";
import { mib, settledHeap, until } from "../support/heap.js";
import { clientsUnderTest, connected, once, startServer, type ClientSocket, type TestServer } from "../support/server-harness.js";

const [official] = await clientsUnderTest();

async function healthyTick(s: TestServer, healthy: ClientSocket, n: number): Promise<void> {
  const tick = once<[number]>(healthy, "tick");
  s.io.emit("tick", n);
  const [got] = await tick;
  assert.equal(got, n, "the healthy client keeps receiving");
}

/** Joins "/" and returns the server-side socket of the raw client. */
async function joined(s: TestServer, raw: { join(nsp?: string, auth?: object): Promise<string> }, auth?: object): Promise<{ socket: Socket; reply: { sid: string; pid?: string } }> {
  const text = await raw.join("/", auth);
  const reply = JSON.parse(text.slice(1)) as { sid: string; pid?: string };
  return { socket: s.io.of("/").sockets.get(reply.sid)!, reply };
}

describe("hostile: oversize messages against maxHttpBufferSize", { timeout: 60_000 }, () => {
  let s: TestServer;
  afterEach(async () => {
    await s.close();
    s.http.closeAllConnections();
  });

  it("WebSocket: the offender is disconnected with 'transport error'; healthy clients keep receiving", async () => {
    s = await startServer(official!, { maxHttpBufferSize: 1_000 });
    const healthy = await connected(s.connect("/", { transports: ["websocket"] }));
    const raw = await HostileWs.connect(s.port);
    const { socket } = await joined(s, raw);
    const reason = once<[string]>(socket, "disconnect");
    const events: unknown[] = [];
    socket.onAny((ev: unknown) => events.push(ev));
    raw.send('2["big","' + "x".repeat(2_000) + '"]');
    assert.equal((await reason)[0], "transport error");
    await raw.closed;
    assert.deepEqual(events, []);
    await healthyTick(s, healthy, 1);
  });

  it("polling: the oversize POST is refused with 413 and never delivered; the session keeps working", async () => {
    s = await startServer(official!, { maxHttpBufferSize: 1_000 });
    const healthy = await connected(s.connect("/", { transports: ["websocket"] }));
    const raw = await HostilePolling.connect(s.port);
    const { socket } = await joined(s, raw);
    const events: unknown[] = [];
    socket.onAny((ev: unknown) => events.push(ev));
    socket.on("probe", (ack: (v: string) => void) => ack("pong"));
    assert.equal(await raw.post('42["big","' + "x".repeat(2_000) + '"]'), 413);
    raw.send('2424242["probe"]');
    await raw.waitFor((p) => p === '3424242["pong"]');
    assert.deepEqual(events, ["probe"]);
    await healthyTick(s, healthy, 1);
    raw.close();
    await raw.closed;
  });
});

describe("hostile: floods of CONNECT and DISCONNECT for one namespace", { timeout: 60_000 }, () => {
  let s: TestServer;
  afterEach(async () => {
    await s.close();
    s.http.closeAllConnections();
  });

  /**
   * Sends 1,000 CONNECTs for "/" in one burst. The server may close the offender ('parse
   * error': a CONNECT for a namespace already joined) or ignore the duplicates; either way,
   * once the offender is gone no socket of it is left, and the healthy client keeps receiving.
   */
  async function connectFlood(withMiddleware: boolean): Promise<{ connections: number; replies: number; reasons: string[]; closedByServer: boolean }> {
    s = await startServer(official!);
    if (withMiddleware) s.io.use((_socket, next) => setImmediate(next)); // an async auth check
    const healthy = await connected(s.connect("/", { transports: ["websocket"] }));
    let connections = 0;
    const reasons: string[] = [];
    s.io.on("connection", (socket: Socket) => {
      connections++;
      socket.on("probe", (ack: (v: string) => void) => ack("pong"));
      socket.on("disconnect", (r: string) => reasons.push(r));
    });
    const raw = await HostileWs.connect(s.port);
    raw.sendRaw(...Array.from({ length: 1_000 }, () => "40"));
    // Closed by the server, or still serving: a probe tells.
    await raw.waitFor((p) => typeof p === "string" && p.startsWith("0")).catch(() => undefined);
    raw.send('2424242["probe"]');
    const closedByServer = await Promise.race([raw.closed.then(() => true), raw.waitFor((p) => p === '3424242["pong"]').then(() => false, () => true)]);
    const replies = raw.packets.filter((p) => typeof p === "string" && p.startsWith("0")).length;
    raw.close();
    await raw.closed;
    await until(() => s.io.of("/").sockets.size === 1, "only the healthy socket is left");
    await healthyTick(s, healthy, 1);
    return { connections, replies, reasons, closedByServer };
  }

  it("1,000 CONNECTs in one burst: the offender is closed with 'parse error' or the duplicates are ignored; no socket is left behind", async () => {
    const r = await connectFlood(false);
    const { reasons, closedByServer } = r;
    const expected = closedByServer ? "parse error" : "transport close";
    // Closed before its join completed, the offender has no socket to give a reason to.
    assert.ok((closedByServer || reasons.length > 0) && reasons.every((r) => r === expected), `${closedByServer ? "closed" : "kept"}: ${reasons.slice(0, 3).join()} (${JSON.stringify(r)})`);
  });

  it("1,000 CONNECTs in one burst make at most one connection", async () => {
    const plain = await connectFlood(false);
    assert.ok(plain.connections <= 1, `${plain.connections} 'connection' events and ${plain.replies} CONNECT replies for one client`);
  });

  it("1,000 CONNECTs with an async middleware make at most one connection", async () => {
    const slow = await connectFlood(true);
    assert.ok(slow.connections <= 1, `${slow.connections} 'connection' events for one client`);
  });

  it("1,000 DISCONNECTs in one burst: the socket leaves once, then the connection is closed", async () => {
    s = await startServer(official!);
    const healthy = await connected(s.connect("/", { transports: ["websocket"] }));
    const raw = await HostileWs.connect(s.port);
    const { socket } = await joined(s, raw);
    const reasons: string[] = [];
    socket.on("disconnect", (r: string) => reasons.push(r));
    raw.sendRaw(...Array.from({ length: 1_000 }, () => "41"));
    await raw.closed;
    assert.deepEqual(reasons, ["client namespace disconnect"]);
    assert.equal(s.io.of("/").sockets.size, 1);
    await healthyTick(s, healthy, 1);
  });

  it("500 join/leave cycles on one connection: every socket is gone afterwards and the heap stays flat", async () => {
    s = await startServer(official!);
    const healthy = await connected(s.connect("/", { transports: ["websocket"] }));
    s.io.of("/admin").on("connection", (socket: Socket) => socket.join(["a", "b"]));
    const raw = await HostileWs.connect(s.port);
    await raw.join();
    const cycle = async () => {
      const reply = await raw.join("/admin");
      assert.match(reply, /^0\/admin,\{"sid"/);
      raw.packets.length = 0;
      raw.send("1/admin,");
    };
    for (let i = 0; i < 100; i++) await cycle(); // warm-up: JIT, pools
    await until(() => s.io.of("/admin").sockets.size === 0, "the warm-up sockets left");
    const before = await settledHeap();
    for (let i = 0; i < 500; i++) await cycle();
    await until(() => s.io.of("/admin").sockets.size === 0, "every socket left /admin");
    const after = await settledHeap();
    assert.equal(s.io.of("/admin").adapter.rooms.size, 0, "no room is left behind");
    assert.ok(after - before < 2 * 1024 * 1024, `heap grew from ${mib(before)} to ${mib(after)}`);
    await healthyTick(s, healthy, 1);
    raw.close();
    await raw.closed;
  });
});

describe("hostile: clients that never answer", { timeout: 60_000 }, () => {
  let s: TestServer;
  afterEach(async () => {
    await s.close();
    s.http.closeAllConnections();
  });

  for (const transport of ["websocket", "polling"] as Transport[]) {
    it(`${transport}: a client that never answers pings is disconnected with 'ping timeout'`, async () => {
      s = await startServer(official!, { pingInterval: 400, pingTimeout: 400 });
      const healthy = await connected(s.connect("/", { transports: ["websocket"] }));
      const raw = await connectHostile(transport, s.port, { pong: false });
      const { socket } = await joined(s, raw);
      const [reason] = await once<[string]>(socket, "disconnect");
      assert.equal(reason, "ping timeout");
      await healthyTick(s, healthy, 1);
      assert.equal(healthy.connected, true, "the healthy client answered its pings");
      raw.close();
    });
  }

  // Run in a child: once such a client is dropped, engine.io arms a 30 s timer of its own.
  let stopped: Promise<{ reason: string; healthyGot: number; inOrder: boolean; healthyConnected: boolean; left: string[] }> | undefined;
  const stoppedPoller = () =>
    (stopped ??= new Promise((resolve, reject) => {
      execFile(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../support/hostile-stopped-poller.ts", import.meta.url))], { timeout: 60_000 }, (err, stdout) => {
        if (err) return reject(err);
        resolve(JSON.parse(stdout.trim().split("\n").at(-1)!));
      });
    }));

  it("polling: a client that stops polling while broadcasts pile up is dropped with 'ping timeout'; the others get everything", async () => {
    const r = await stoppedPoller();
    assert.equal(r.reason, "ping timeout");
    assert.equal(r.healthyConnected, true);
    assert.equal(r.healthyGot, 200);
    assert.equal(r.inOrder, true);
  });

  it("io.close() leaves no timer behind after a polling client stopped polling", async () => {
    const r = await stoppedPoller();
    assert.deepEqual(r.left, []);
  });
});

describe("hostile: deeply nested payloads", { timeout: 60_000 }, () => {
  let s: TestServer;
  afterEach(() => s.close());

  // Relaying a payload (socket.broadcast.emit / socket.emit) is the app's most common move;
  // thousands of levels would make its encoder recurse past the stack, so the decoder refuses
  // payloads nested over maxDepth (1000) and the offender is closed with "parse error".
  it("an app that relays what it receives survives a payload nested 5,000 deep", async () => {
    s = await startServer(official!);
    s.io.on("connection", (socket: Socket) => {
      socket.on("relay", (data: unknown) => socket.broadcast.emit("relay", data));
      socket.on("probe", (ack: (v: string) => void) => ack("pong"));
    });
    const escaped: unknown[] = [];
    const onError = (err: unknown) => escaped.push(err);
    process.on("uncaughtException", onError);
    try {
      const listener = await HostileWs.connect(s.port);
      await listener.join();
      const sender = await HostileWs.connect(s.port);
      await sender.join();
      const depth = 5_000;
      sender.send('2["relay",' + "[".repeat(depth) + "]".repeat(depth) + "]");
      sender.send('2424242["probe"]');
      await Promise.race([sender.closed, sender.waitFor((p) => p === '3424242["pong"]').catch(() => undefined)]);
      assert.deepEqual(escaped.map((e) => (e as Error).message), [], "nothing escaped into the process");
      listener.close();
      sender.close();
    } finally {
      process.off("uncaughtException", onError);
    }
  });
});

describe("limits a user can set", { timeout: 60_000 }, () => {
  let s: TestServer;
  afterEach(async () => {
    await s.close();
    s.http.closeAllConnections();
  });

  it("maxAttachments: a packet announcing more is refused with 'parse error'; up to it is delivered", async () => {
    s = await startServer(official!, { maxAttachments: 2 });
    const ok = await HostileWs.connect(s.port);
    const { socket } = await joined(s, ok);
    const files = once<[Buffer, Buffer]>(socket, "files");
    ok.send('52-["files",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    ok.sendBinary(new Uint8Array([1]));
    ok.sendBinary(new Uint8Array([2]));
    const [a, b] = await files;
    assert.deepEqual([...a, ...b], [1, 2]);
    const bad = await HostileWs.connect(s.port);
    const { socket: badSocket } = await joined(s, bad);
    const reason = once<[string]>(badSocket, "disconnect");
    bad.send('53-["files"]');
    assert.equal((await reason)[0], "parse error");
    ok.close();
  });

  it("maxPendingAcks: a client that never acks holds at most that many; beyond, a clear TOO_MANY_ACKS", async () => {
    s = await startServer(official!, { maxPendingAcks: 100 });
    const raw = await HostileWs.connect(s.port);
    const { socket } = await joined(s, raw);
    for (let i = 0; i < 1_000; i++) socket.emit("ask", i, () => {});
    assert.equal(socket.acks.size, 100);
    await assert.rejects(socket.timeout(60_000).emitWithAck("ask", -1), (err: Error & { code?: string }) => err.code === "TOO_MANY_ACKS" && /too many pending/.test(err.message));
    const reason = once(socket, "disconnect");
    raw.close();
    await reason;
    assert.equal(socket.acks.size, 0, "a disconnect releases every pending ack");
  });

  it("maxRecoveryPackets: the recovery log keeps that many events; an older offset gets a new session", async () => {
    s = await startServer(official!, { connectionStateRecovery: {}, maxRecoveryPackets: 10 });
    const first = await HostileWs.connect(s.port);
    const { reply } = await joined(s, first);
    assert.ok(reply.pid);
    s.io.emit("ev", -1);
    const offsetOf = (p: string | Buffer) => (JSON.parse((p as string).slice(1)) as unknown[]).at(-1) as string;
    const offset = offsetOf(await first.waitFor((p) => typeof p === "string" && p.startsWith('2["ev",-1')));

    // Five missed events: recovered, with all five.
    first.terminate();
    await until(() => s.io.of("/").sockets.size === 0, "the first socket left");
    for (let i = 0; i < 5; i++) s.io.emit("ev", i);
    const second = await HostileWs.connect(s.port);
    const { reply: again } = await joined(s, second, { pid: reply.pid, offset });
    assert.equal(again.sid, reply.sid, "recovered: same id");
    await until(() => second.packets.filter((p) => typeof p === "string" && p.startsWith('2["ev"')).length === 5, "five missed events");

    // Fifty missed events with a log of ten: the offset fell off, so a new session.
    const last = offsetOf(second.packets.at(-1)!);
    second.terminate();
    await until(() => s.io.of("/").sockets.size === 0, "the second socket left");
    for (let i = 0; i < 50; i++) s.io.emit("ev", i);
    const third = await HostileWs.connect(s.port);
    const { reply: fresh } = await joined(s, third, { pid: reply.pid, offset: last });
    assert.notEqual(fresh.sid, reply.sid, "not recovered: a new id");
    third.close();
  });

  it("the recovery store keeps a bounded number of sessions (maxRecoverySessions)", async () => {
    s = await startServer(official!, { connectionStateRecovery: {}, maxRecoverySessions: 100 });
    s.io.emit("ev", 0);
    const sessions: Array<{ sid: string; pid: string; offset: string }> = [];
    for (let i = 0; i < 150; i++) {
      const raw = await HostileWs.connect(s.port);
      const { reply } = await joined(s, raw);
      s.io.to(reply.sid).emit("ev", i);
      const p = (await raw.waitFor((x) => typeof x === "string" && x.startsWith("2"))) as string;
      sessions.push({ sid: reply.sid, pid: reply.pid!, offset: (JSON.parse(p.slice(1)) as string[]).at(-1)! });
      raw.terminate();
      await raw.closed;
    }
    await until(() => s.io.of("/").sockets.size === 0, "every socket left");
    const oldest = await HostileWs.connect(s.port);
    const { reply } = await joined(s, oldest, { pid: sessions[0]!.pid, offset: sessions[0]!.offset });
    oldest.close();
    assert.notEqual(reply.sid, sessions[0]!.sid, "the oldest of 150 sessions was evicted from a store of 100");
  });
});
