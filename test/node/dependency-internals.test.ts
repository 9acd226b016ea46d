// rtio reads some private members of engine.io, engine.io-client, ws and component-emitter
// (package.json pins engine.io and engine.io-client to ~6.6 for that reason). Each check here
// names the member and the file that reads it, so that a dependency upgrade which renames one
// fails here by name instead of somewhere downstream, or not at all.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterEach, describe, it } from "node:test";
import { Server as EngineServer, Transport } from "engine.io";
import { Socket as EngineClient } from "engine.io-client";
import { Emitter } from "@socket.io/component-emitter";
import { io as rtioClient, type Socket as ClientSocket } from "../../src/client/index.js";
import { Server, type Socket, type ServerOptions } from "../../src/server/index.js";

type Bag = Record<string, any>;

function hasFunction(target: Bag, name: string, reader: string): void {
  assert.equal(typeof target[name], "function", `${name} is no longer a function; ${reader} relies on it`);
}

function hasArray(target: Bag, name: string, reader: string): void {
  assert.ok(Array.isArray(target[name]), `${name} is no longer an array; ${reader} reads it`);
}

/** A server, one WebSocket client, and the server side of its connection. */
async function pair(opts: Partial<ServerOptions> = {}): Promise<{ socket: Socket; client: ClientSocket; close(): Promise<void> }> {
  const http = createServer();
  const io = new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  const arrived = new Promise<Socket>((resolve) => io.once("connection", resolve));
  const client = rtioClient(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, transports: ["websocket"] });
  const socket = await arrived;
  await new Promise<void>((resolve) => (client.connected ? resolve() : client.once("connect", () => resolve())));
  return {
    socket,
    client,
    async close() {
      client.disconnect();
      await io.close();
    },
  };
}

describe("dependency internals that rtio reads", { timeout: 20_000 }, () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("engine.io's Server: createTransport and middlewares", () => {
    hasFunction(EngineServer.prototype as Bag, "createTransport", "src/server/engine.ts (rtio's WebSocket transport)");
    const engine = new EngineServer() as unknown as Bag;
    hasArray(engine, "middlewares", "src/server/engine.ts and request.ts (releasing the upgrade request)");
    engine.close();
  });

  it("engine.io's errors table, and the cors package it depends on", () => {
    assert.equal(EngineServer.errors.UNSUPPORTED_PROTOCOL_VERSION, 5, "src/server/engine.ts refuses upgrades with this code");
    assert.equal(EngineServer.errorMessages[5], "Unsupported protocol version", "src/server/engine.ts sends this message");
    const fromEngine = createRequire(createRequire(import.meta.url).resolve("engine.io"));
    assert.equal(typeof fromEngine("cors"), "function", "src/server/serve-client.ts takes cors from engine.io's dependencies");
  });

  it("engine.io's Transport: the hooks rtio's WebSocket transport calls", () => {
    for (const name of ["onData", "onError", "onClose", "onPacket"]) {
      hasFunction(Transport.prototype as Bag, name, "src/server/ws/transport.ts");
    }
  });

  it("engine.io's Socket: write buffer, cleanup list, transport and request", async () => {
    const p = await pair();
    close = p.close;
    const conn = p.socket.conn as unknown as Bag;
    hasArray(conn, "writeBuffer", "src/server/direct-write.ts (direct writes, the slow-consumer cap)");
    hasArray(conn, "cleanupFn", "src/server/engine-compact.ts");
    assert.equal(conn.protocol, 4, "protocol: src/server/direct-write.ts checks Engine.IO v4");
    assert.equal(typeof conn._events, "object", "_events: src/server/direct-write.ts looks for write listeners");
    assert.equal(typeof conn.server._events, "object", "server._events: src/server/direct-write.ts looks for write listeners");
    assert.equal(conn.transport.name, "websocket");
    assert.equal(typeof conn.transport.writable, "boolean", "transport.writable: src/server/direct-write.ts");
  });

  it("ws (kept with perMessageDeflate): the sender, extensions and TCP socket", async () => {
    const p = await pair({ perMessageDeflate: { threshold: 1024 } });
    close = p.close;
    const ws = (p.socket.conn as unknown as Bag).transport.socket as Bag;
    assert.equal(typeof ws._sender?.sendFrame, "function", "_sender.sendFrame: src/server/direct-write.ts writes frames with it");
    assert.equal(typeof ws._extensions, "object", "_extensions: src/server/direct-write.ts checks permessage-deflate");
    assert.equal(typeof ws._socket?.cork, "function", "_socket: src/server/direct-write.ts corks it");
  });

  it("engine.io-client's Socket: setTransport, _hasPingExpired and the transport's onPacket", async () => {
    hasFunction(EngineClient.prototype as Bag, "setTransport", "src/client/engine.ts (handshake check)");
    hasFunction(EngineClient.prototype as Bag, "_hasPingExpired", "src/client/socket.ts (buffering while the ping expired)");
    const p = await pair();
    close = p.close;
    const engine = p.client.io.engine as unknown as Bag;
    hasFunction(engine.transport, "onPacket", "src/client/engine.ts");
    assert.equal(typeof engine.transport.ws?._socket?.cork, "function", "transport.ws._socket: src/client/tcp-socket.ts corks it in Node");
  });

  it("component-emitter: listeners kept in _callbacks under '$' + event", () => {
    const emitter = new Emitter() as unknown as Bag;
    const listener = () => {};
    emitter.on("decoded", listener);
    assert.deepEqual(emitter._callbacks?.$decoded, [listener], "_callbacks: src/parser/decoder.ts and src/client/fast-emit.ts read it");
    hasFunction(Emitter.prototype as Bag, "emitReserved", "src/client/batched-engine.ts replaces it in Node");
  });
});
