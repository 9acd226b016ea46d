// The connect storm's bare-TCP client against a real server: it counts a connection only once
// the Socket.IO connect is acknowledged, keeps it alive through pings, counts what arrives, and
// fails loudly on a refused upgrade or a refused namespace.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, it } from "node:test";
import { Server } from "../../src/server/index.js";
import { connectNet, type NetClient } from "./net-client.js";
import { Tally } from "./tally.js";

describe("net client", () => {
  let io: Server | undefined;
  const clients: NetClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await io?.close();
  });

  async function start(opts: ConstructorParameters<typeof Server>[1] = {}): Promise<number> {
    const http = createServer();
    io = new Server(http, opts);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    return (http.address() as AddressInfo).port;
  }

  it("completes the Socket.IO connect, answers pings and counts text and binary frames", async () => {
    const port = await start({ pingInterval: 30, pingTimeout: 5_000 });
    const tally = new Tally();
    for (let i = 0; i < 20; i++) clients.push(await connectNet(port, tally, 5_000));
    assert.ok(clients.every((c) => c.connected));
    assert.equal(io!.of("/").sockets.size, 20);
    const [socket] = io!.of("/").sockets.values();
    // Three pongs in a row: the connection outlives several ping intervals.
    await new Promise<void>((resolve) => {
      let pongs = 0;
      socket!.conn.on("packet", (p: { type: string }) => p.type === "pong" && ++pongs === 3 && resolve());
    });
    io!.emit("hello", "x".repeat(300));
    io!.emit("bytes", Buffer.alloc(70_000));
    while (tally.text < 40 || tally.binary < 20) await new Promise((r) => setImmediate(r));
    assert.deepEqual({ text: tally.text, binary: tally.binary }, { text: 40, binary: 20 });
    assert.equal(io!.of("/").sockets.size, 20);
  });

  it("fails on a refused upgrade and on a refused namespace connect", async () => {
    const port = await start({ path: "/elsewhere/" });
    await assert.rejects(connectNet(port, new Tally(), 5_000), /upgrade refused|closed during upgrade/);
    await io!.close();
    const port2 = await start();
    io!.use((_socket, next) => next(new Error("not you")));
    await assert.rejects(connectNet(port2, new Tally(), 5_000), /no Socket\.IO connect, got 44\{"message":"not you"\}/);
  });
});
