import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { RawEngineClient } from "../support/raw-engine.js";
import { clientsUnderTest, connected, once, startServer, type TestServer } from "../support/server-harness.js";

const [official] = await clientsUnderTest();

/** Inputs that must close the connection that sent them, with reason "parse error". */
const MALFORMED: Array<{ name: string; send: (raw: RawEngineClient) => void }> = [
  { name: "unknown packet type", send: (r) => r.send("9") },
  { name: "broken JSON", send: (r) => r.send('2["ev",') },
  { name: "event payload not an array", send: (r) => r.send('2"text"') },
  { name: "empty event array", send: (r) => r.send("2[]") },
  { name: "reserved event 'disconnect'", send: (r) => r.send('2["disconnect"]') },
  { name: "reserved event 'connect'", send: (r) => r.send('2["connect","x"]') },
  { name: "ACK without id", send: (r) => r.send("3[1]") },
  { name: "too many attachments", send: (r) => r.send('5999-["a"]') },
  { name: "binary data with no binary packet", send: (r) => r.sendBinary(new Uint8Array([1, 2])) },
  { name: "text while attachments are due", send: (r) => { r.send('51-["a",{"_placeholder":true,"num":0}]'); r.send('2["b"]'); } },
  { name: "placeholder out of range", send: (r) => { r.send('51-["a",{"_placeholder":true,"num":7}]'); r.sendBinary(new Uint8Array([1])); } },
  { name: "event for a namespace not joined", send: (r) => r.send('2/admin,["x"]') },
  { name: "second CONNECT to a joined namespace", send: (r) => r.send("0") },
  { name: "CONNECT_ERROR from a client", send: (r) => r.send('4{"message":"x"}') },
  { name: "huge ack id", send: (r) => r.send('21234567890123456789["x"]') },
  { name: "garbage engine.io frame", send: (r) => r.sendRaw("zzz") },
];

describe("server: hostile raw clients", { timeout: 30_000 }, () => {
  let s: TestServer;
  afterEach(() => s?.close());

  it("closes each bad connection with 'parse error' while a healthy client keeps receiving broadcasts", async () => {
    s = await startServer(official!);
    s.io.of("/admin");
    const reasons: string[] = [];
    s.io.on("connection", (socket) => socket.on("disconnect", (reason) => reasons.push(reason)));
    const healthy = await connected(s.connect("/", { transports: ["websocket"] }));
    const ticks: number[] = [];
    healthy.on("tick", (n: number) => ticks.push(n));
    for (const [i, input] of MALFORMED.entries()) {
      const raw = await RawEngineClient.connect(s.port);
      const reply = await raw.join();
      assert.match(reply, /^0\{"sid":"[\w-]+"/, input.name);
      input.send(raw);
      await raw.closed;
      assert.equal(raw.isOpen, false, input.name);
      const tick = once(healthy, "tick");
      s.io.emit("tick", i);
      await tick;
    }
    assert.deepEqual(ticks, MALFORMED.map((_, i) => i));
    assert.equal(reasons.length, MALFORMED.length);
    assert.ok(reasons.every((r) => r === "parse error"), reasons.join(", "));
    assert.equal(healthy.connected, true);
    assert.equal(s.io.sockets.sockets.size, 1);
  });

  it("never delivers a client event named 'error' (or other reserved names) to the app", async () => {
    s = await startServer(official!);
    const seen = once<[Socket]>(s.io, "connection");
    const raw = await RawEngineClient.connect(s.port);
    await raw.join();
    const [socket] = await seen;
    const errors: unknown[] = [];
    const any: unknown[] = [];
    socket.on("error", (e) => errors.push(e));
    socket.onAny((ev: unknown) => any.push(ev));
    const ok = once(socket, "fine");
    raw.send('2["error","boom"]');
    raw.send('2["fine"]');
    await ok;
    assert.deepEqual(errors, []);
    assert.deepEqual(any, ["fine"]);
    assert.equal(raw.isOpen, true);
    raw.close();
  });

  it("ignores an ACK for an unknown id and keeps the connection", async () => {
    s = await startServer(official!);
    const seen = once<[Socket]>(s.io, "connection");
    const raw = await RawEngineClient.connect(s.port);
    await raw.join();
    const [socket] = await seen;
    const ok = once(socket, "after");
    raw.send("3999[1]");
    raw.send('2["after"]');
    await ok;
    assert.equal(socket.connected, true);
    raw.close();
  });

  it("caps the acks a socket waits for", async () => {
    s = await startServer(official!, { maxPendingAcks: 2 });
    const seen = once<[Socket]>(s.io, "connection");
    const raw = await RawEngineClient.connect(s.port);
    await raw.join();
    const [socket] = await seen;
    socket.emit("a", () => {});
    socket.emit("b", () => {});
    const third = socket.timeout(60_000).emitWithAck("c");
    await assert.rejects(third, (err: Error & { code?: string }) => err.code === "TOO_MANY_ACKS");
    assert.equal(socket.acks.size, 2);
    await raw.waitFor((p) => typeof p === "string" && p.startsWith('2["c"'));
    // The event itself still went out, without an ack id.
    assert.ok(raw.packets.includes('2["c"]'));
    raw.close();
  });

  it("with a custom parser, garbage closes only that connection", async () => {
    const msgpackParser = createRequire(import.meta.url)("socket.io-msgpack-parser") as object;
    s = await startServer(official!, { parser: msgpackParser });
    const healthy = await connected(s.connect("/", { parser: msgpackParser, transports: ["websocket"] } as object));
    for (const garbage of [new Uint8Array([0xc1]), new Uint8Array([0x92, 0x01]), new Uint8Array([0x81, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa1, 0x78])]) {
      const raw = await RawEngineClient.connect(s.port);
      raw.sendBinary(garbage);
      await raw.closed;
      const tick = once(healthy, "tick");
      s.io.emit("tick");
      await tick;
    }
    assert.equal(healthy.connected, true);
  });

  it("an app ack callback that throws reaches the socket's 'error' listener; the connection stays", async () => {
    s = await startServer(official!);
    const seen = once<[Socket]>(s.io, "connection");
    const raw = await RawEngineClient.connect(s.port);
    await raw.join();
    const [socket] = await seen;
    const failed = once<[Error]>(socket, "error");
    socket.emit("question", () => {
      throw new Error("bug in the app");
    });
    await raw.waitFor((p) => typeof p === "string" && p.startsWith('20["question"'));
    raw.send("30[]");
    assert.equal((await failed)[0].message, "bug in the app");
    const ok = once(socket, "after");
    raw.send('2["after"]');
    await ok;
    assert.equal(socket.connected, true);
    raw.close();
  });

  it("closes a connection that never joins a namespace after connectTimeout", async () => {
    s = await startServer(official!, { connectTimeout: 50 });
    const raw = await RawEngineClient.connect(s.port);
    await raw.closed;
    assert.equal(raw.isOpen, false);
  });

  it("answers CONNECT to an unknown namespace with CONNECT_ERROR and keeps the connection", async () => {
    s = await startServer(official!);
    const raw = await RawEngineClient.connect(s.port);
    raw.send("0/nowhere,");
    const reply = await raw.waitFor((p) => typeof p === "string" && p.startsWith("4/nowhere,"));
    assert.equal(reply, '4/nowhere,{"message":"Invalid namespace"}');
    assert.match(await raw.join(), /^0\{"sid"/);
    raw.close();
  });
});
