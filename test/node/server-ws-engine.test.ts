// rtio's own WebSocket server (the wsEngine engine.io gets by default) over real sockets, with
// `ws`'s client and raw TCP as peers. The behavioural specs run twice: against rtio's engine and
// against `ws`'s server as engine.io's wsEngine, so every expectation is also what ws does.
// (The suite timeouts are safety nets for a loaded machine: a suite runs in a few seconds.)
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { afterEach, describe, it } from "node:test";
import { createRequire } from "node:module";
import WebSocket from "ws";
import { Server, type ServerOptions, type Socket } from "../../src/server/index.js";
import { WebSocketConnection } from "../../src/server/ws/connection.js";
import { WebSocketEngine } from "../../src/server/ws/engine.js";
import {
  FrameCollector,
  OP,
  clientFrame,
  closeBody,
  describeFrame,
  rawRequest,
  upgradeHeaders,
  type RawResponse,
  type ServerFrame,
} from "../support/ws-wire.js";

const ENGINE_PATH = "/socket.io/?EIO=4&transport=websocket";

/** The `ws` engine.io depends on (its own copy, maybe not the top-level one): what socket.io apps run on. */
const engineRequire = createRequire(createRequire(import.meta.url).resolve("engine.io"));
const { WebSocketServer } = engineRequire("ws") as { WebSocketServer: typeof import("ws").WebSocketServer };

interface Harness {
  io: Server;
  http: HttpServer;
  port: number;
  url: string;
  /** Server-side sockets as they connect, and why each disconnected. */
  sockets: Socket[];
  reasons: Map<string, string>;
  /** Every TCP connection the http server accepted, and its "close" event. */
  tcp: Map<NetSocket, Promise<unknown>>;
  /** The next server-side socket to connect. */
  nextSocket(): Promise<Socket>;
  /** The next disconnect reason. */
  nextDisconnect(): Promise<[string, unknown]>;
}

let open: { harnesses: Harness[]; peers: WebSocket[]; raws: NetSocket[] } = { harnesses: [], peers: [], raws: [] };

/** Drops every client at once (no closing handshake to wait for), then closes the servers. */
async function closeAll(): Promise<void> {
  const { harnesses, peers, raws } = open;
  open = { harnesses: [], peers: [], raws: [] };
  for (const ws of peers) ws.terminate();
  for (const raw of raws) raw.destroy();
  await Promise.all(harnesses.map((h) => h.io.close()));
  // http.close() does not wait for upgraded sockets: wait until the server has seen each one
  // close, so that no timer of theirs (ws's 30 s close timer) outlives the test.
  await Promise.all(harnesses.flatMap((h) => [...h.tcp.values()]));
}

async function start(opts: Partial<ServerOptions> = {}): Promise<Harness> {
  const http = createServer();
  const io = new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const sockets: Socket[] = [];
  const reasons = new Map<string, string>();
  const tcp = new Map<NetSocket, Promise<unknown>>();
  http.on("connection", (socket: NetSocket) => tcp.set(socket, new Promise((resolve) => socket.once("close", resolve))));
  io.on("connection", (socket) => {
    sockets.push(socket);
    socket.on("disconnect", (reason) => reasons.set(socket.id, reason));
    socket.on("echo", (...args: unknown[]) => {
      const ack = args.pop();
      if (typeof ack === "function") (ack as (...a: unknown[]) => void)(...args);
    });
    socket.on("hello", (name: unknown) => socket.emit("welcome", `hi ${String(name)}`));
  });
  const harness: Harness = {
    io,
    http,
    port,
    url: `ws://127.0.0.1:${port}${ENGINE_PATH}`,
    sockets,
    reasons,
    tcp,
    nextSocket: () => once(io, "connection").then(([s]) => s as Socket),
    nextDisconnect: () =>
      new Promise((resolve) => {
        const watch = (socket: Socket): void => {
          socket.once("disconnect", (reason: string, description: unknown) => resolve([reason, description]));
        };
        for (const s of sockets) if (s.connected) watch(s);
      }),
  };
  open.harnesses.push(harness);
  return harness;
}

/** A `ws` client speaking Engine.IO by hand: answers pings, keeps every message in order. */
class Peer {
  readonly messages: Array<{ data: string | Buffer; binary: boolean }> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();
  openPacket: { sid: string; maxPayload: number } | undefined;

  constructor(readonly ws: WebSocket) {
    open.peers.push(ws);
    // Not events.once: that would reject on the client's "error" event, which a refused peer may emit.
    this.closed = new Promise((resolve) => ws.once("close", (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
    ws.on("error", () => undefined);
    ws.on("message", (data: Buffer, binary: boolean) => {
      if (!binary && data.toString() === "2") return ws.send("3");
      this.messages.push({ data: binary ? data : data.toString(), binary });
      for (const w of [...this.waiters]) w();
    });
    ws.on("close", () => {
      for (const w of [...this.waiters]) w();
    });
  }

  static async connect(h: Harness, protocols?: string | string[], options: WebSocket.ClientOptions = {}): Promise<Peer> {
    const peer = new Peer(new WebSocket(h.url, protocols, options));
    const [first] = await peer.take(1);
    assert.ok(typeof first === "string" && first.startsWith("0{"), `an open packet, got ${String(first)}`);
    peer.openPacket = JSON.parse(first.slice(1)) as { sid: string; maxPayload: number };
    return peer;
  }

  /** Connects to the main namespace: "40" out, "40{sid}" back. */
  async join(): Promise<string> {
    this.ws.send("40");
    const [reply] = await this.take(1);
    assert.ok(typeof reply === "string" && reply.startsWith("40{"), `a CONNECT reply, got ${String(reply)}`);
    return (JSON.parse(reply.slice(2)) as { sid: string }).sid;
  }

  /** The next `n` messages not taken yet. */
  take(n: number): Promise<Array<string | Buffer>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.messages.length >= n) {
          this.waiters.delete(check);
          resolve(this.messages.splice(0, n).map((m) => m.data));
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          this.waiters.delete(check);
          reject(new Error(`closed while waiting for ${n} messages`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** A raw TCP client after a valid upgrade: the 101 response and a collector of the frames that follow. */
async function rawUpgrade(h: Harness, extra: Record<string, string | undefined> = {}): Promise<{ res: RawResponse; frames: FrameCollector }> {
  const res = await rawRequest(h.port, ENGINE_PATH, { ...upgradeHeaders(h.port), ...extra });
  open.raws.push(res.socket);
  return { res, frames: new FrameCollector(res.socket, res.rest) };
}

/** A raw client joined to the main namespace. */
async function rawJoined(h: Harness): Promise<{ res: RawResponse; frames: FrameCollector }> {
  const raw = await rawUpgrade(h);
  assert.equal(raw.res.status, 101);
  await raw.frames.text("0{");
  const seen = raw.frames.frames.length;
  raw.frames.send(clientFrame(OP.TEXT, "40"));
  await raw.frames.text("40{", seen);
  return raw;
}

/** The server still serves: a new client connects and joins the main namespace. */
async function servesAnother(h: Harness): Promise<void> {
  const other = await Peer.connect(h);
  await other.join();
}

const closeFrameOf = (frames: readonly ServerFrame[]): ServerFrame | undefined => frames.find((f) => f.opcode === OP.CLOSE);
const closeCodeOf = (frame: ServerFrame | undefined): number | undefined => (frame && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined);

describe("server ws engine: which engine engine.io gets", { timeout: 90_000 }, () => {
  afterEach(closeAll);

  it("rtio's WebSocketEngine by default, and its connections are rtio's", async () => {
    const h = await start();
    assert.ok((h.io.engine as unknown as { ws: unknown }).ws instanceof WebSocketEngine);
    const serverSide = h.nextSocket();
    const peer = await Peer.connect(h);
    await peer.join();
    const socket = await serverSide;
    assert.ok((socket.conn.transport as unknown as { socket: unknown }).socket instanceof WebSocketConnection);
  });

  it("rtio's with perMessageDeflate: false", async () => {
    const h = await start({ perMessageDeflate: false });
    assert.ok((h.io.engine as unknown as { ws: unknown }).ws instanceof WebSocketEngine);
  });

  it("ws's with perMessageDeflate: true, and messages are compressed then", async () => {
    const h = await start({ perMessageDeflate: true });
    assert.ok((h.io.engine as unknown as { ws: unknown }).ws instanceof WebSocketServer);
    const serverSide = h.nextSocket();
    const peer = await Peer.connect(h);
    assert.equal(peer.ws.extensions, "permessage-deflate");
    await peer.join();
    const socket = await serverSide;
    assert.ok(!((socket.conn.transport as unknown as { socket: unknown }).socket instanceof WebSocketConnection));
    const big = "compress me ".repeat(2000);
    peer.ws.send(`421["echo",${JSON.stringify(big)}]`);
    assert.deepEqual(await peer.take(1), [`431[${JSON.stringify(big)}]`]);
  });

  it("ws's when the app passes wsEngine", async () => {
    const h = await start({ wsEngine: WebSocketServer });
    assert.ok((h.io.engine as unknown as { ws: unknown }).ws instanceof WebSocketServer);
    const peer = await Peer.connect(h);
    await peer.join();
  });

  it("rtio's engine offers no extension to a client that asks for permessage-deflate, and the session works", async () => {
    const h = await start();
    const peer = await Peer.connect(h, undefined, { perMessageDeflate: true });
    assert.equal(peer.ws.extensions, "");
    await peer.join();
    peer.ws.send('42["hello","you"]');
    assert.deepEqual(await peer.take(1), ['42["welcome","hi you"]']);
  });

  it("refuses to be built with perMessageDeflate", () => {
    assert.throws(() => new WebSocketEngine({ perMessageDeflate: true }), /permessage-deflate/);
  });
});

const ENGINES: Array<{ name: string; opts: Partial<ServerOptions> }> = [
  { name: "rtio's engine", opts: {} },
  { name: "ws as wsEngine", opts: { wsEngine: WebSocketServer } },
];

for (const engine of ENGINES) {
  describe(`server ws engine: a session (${engine.name})`, { timeout: 90_000 }, () => {
    afterEach(closeAll);
    const startEngine = (opts: Partial<ServerOptions> = {}): Promise<Harness> => start({ ...engine.opts, ...opts });

    it("answers a valid upgrade with 101 and the RFC's accept value, then the open packet", async () => {
      const h = await startEngine();
      const { res, frames } = await rawUpgrade(h);
      assert.equal(res.status, 101);
      assert.equal(res.headers["upgrade"]?.toLowerCase(), "websocket");
      assert.equal(res.headers["connection"]?.toLowerCase(), "upgrade");
      assert.equal(res.headers["sec-websocket-accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      assert.equal(res.headers["sec-websocket-protocol"], undefined);
      assert.equal(res.headers["sec-websocket-extensions"], undefined);
      const open = JSON.parse((await frames.text("0{")).slice(1)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(open).sort(), ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"]);
      const first = frames.frames[0]!;
      assert.equal(first.masked, false, "a server never masks");
      assert.equal(first.fin, true);
      assert.equal(first.rsv, 0);
    });

    it("chooses the first subprotocol the client offers", async () => {
      const h = await startEngine();
      const { res } = await rawUpgrade(h, { "Sec-WebSocket-Protocol": "chat, superchat" });
      assert.equal(res.status, 101);
      assert.equal(res.headers["sec-websocket-protocol"], "chat");
      const peer = await Peer.connect(h, ["superchat", "chat"]);
      assert.equal(peer.ws.protocol, "superchat");
    });

    it("runs a Socket.IO exchange: connect, an event and the server's reply, an ack", async () => {
      const h = await startEngine();
      const serverSide = h.nextSocket();
      const peer = await Peer.connect(h);
      const sid = await peer.join();
      assert.equal((await serverSide).id, sid);
      peer.ws.send('42["hello","wire"]');
      assert.deepEqual(await peer.take(1), ['42["welcome","hi wire"]']);
      peer.ws.send('427["echo",{"a":[1,"é✓😀"]}]');
      assert.deepEqual(await peer.take(1), ['437[{"a":[1,"é✓😀"]}]']);
    });

    it("carries binary attachments both ways", async () => {
      const h = await startEngine();
      const serverSide = h.nextSocket();
      const peer = await Peer.connect(h);
      await peer.join();
      const socket = await serverSide;
      const received = once(socket, "upload");
      const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));
      peer.ws.send('451-["upload",{"_placeholder":true,"num":0}]');
      peer.ws.send(bytes);
      const [got] = (await received) as [Buffer];
      assert.ok(Buffer.isBuffer(got));
      assert.deepEqual(Buffer.from(got), bytes);
      socket.emit("download", Buffer.from([1, 2, 3]), "text");
      const [header, attachment] = await peer.take(2);
      assert.equal(header, '451-["download",{"_placeholder":true,"num":0},"text"]');
      assert.deepEqual(attachment, Buffer.from([1, 2, 3]));
    });

    it("200 KB text and binary messages arrive intact both ways", async () => {
      const h = await startEngine();
      const peer = await Peer.connect(h);
      await peer.join();
      const text = Array.from({ length: 200 * 1024 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
      peer.ws.send(`421["echo",${JSON.stringify(text)}]`);
      assert.deepEqual(await peer.take(1), [`431[${JSON.stringify(text)}]`]);
      const bytes = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => (i * 7) & 0xff));
      peer.ws.send('451-2["echo",{"_placeholder":true,"num":0}]');
      peer.ws.send(bytes);
      const [header, attachment] = await peer.take(2);
      assert.equal(header, '461-2[{"_placeholder":true,"num":0}]');
      assert.ok(Buffer.isBuffer(attachment));
      assert.equal(attachment.length, bytes.length);
      assert.ok(attachment.equals(bytes));
    });

    it("a message over maxHttpBufferSize closes the connection with 1009; the server stays up", async () => {
      const h = await startEngine({ maxHttpBufferSize: 1000 });
      const peer = await Peer.connect(h);
      assert.equal(peer.openPacket?.maxPayload, 1000);
      await peer.join();
      const disconnected = h.nextDisconnect();
      peer.ws.send(`42["echo","${"x".repeat(2000)}"]`);
      assert.equal((await peer.closed).code, 1009);
      assert.equal((await disconnected)[0], "transport error");
      const second = await Peer.connect(h);
      await second.join();
      second.ws.send(`421["echo","${"y".repeat(900)}"]`);
      assert.deepEqual(await second.take(1), [`431["${"y".repeat(900)}"]`]);
    });

    it("client close(1000, 'bye'): the server echoes it, both sides see the close, the socket's reason is 'transport close'", async () => {
      const h = await startEngine();
      const serverSide = h.nextSocket();
      const peer = await Peer.connect(h);
      await peer.join();
      const socket = await serverSide;
      const connClosed = once(socket.conn, "close");
      const disconnected = once(socket, "disconnect");
      peer.ws.close(1000, "bye");
      assert.deepEqual(await peer.closed, { code: 1000, reason: "bye" });
      assert.equal((await disconnected)[0], "transport close");
      assert.equal((await connClosed)[0], "transport close");
    });

    it("a raw client's close frame is echoed with its code and reason, then the server ends the TCP connection", async () => {
      const h = await startEngine();
      const { frames } = await rawJoined(h);
      const disconnected = h.nextDisconnect();
      frames.send(clientFrame(OP.CLOSE, closeBody(4001, "done")));
      await frames.until((_, ended) => ended, "the end of the connection");
      const close = closeFrameOf(frames.frames);
      assert.equal(closeCodeOf(close), 4001);
      assert.equal(close?.payload.subarray(2).toString(), "done");
      assert.equal(frames.frames.at(-1), close, "nothing after the close frame");
      assert.equal((await disconnected)[0], "transport close");
    });

    it("a close frame without a code is answered with an empty close frame", async () => {
      const h = await startEngine();
      const { frames } = await rawJoined(h);
      frames.send(clientFrame(OP.CLOSE));
      await frames.until((_, ended) => ended, "the end of the connection");
      assert.deepEqual(closeFrameOf(frames.frames)?.payload, Buffer.alloc(0));
    });

    it("socket.disconnect(true): a DISCONNECT packet, a close frame, then the TCP close once the client answers", async () => {
      const h = await startEngine();
      const serverSide = h.nextSocket();
      const { frames } = await rawJoined(h);
      const socket = await serverSide;
      const seen = frames.frames.length;
      socket.disconnect(true);
      await frames.until((f) => closeFrameOf(f) !== undefined, "a close frame");
      assert.deepEqual(
        frames.frames.slice(seen).map(describeFrame),
        ["op1: 41", "op8: "],
        "the DISCONNECT packet, then a close frame without a code",
      );
      assert.equal(frames.ended, false, "the server waits for the client's close frame");
      frames.send(clientFrame(OP.CLOSE));
      await frames.until((_, ended) => ended, "the end of the connection");
      assert.equal(h.reasons.get(socket.id), "server namespace disconnect");
    });

    it("socket.disconnect(true) seen by a ws client: the close event comes with 1005", async () => {
      const h = await startEngine();
      const serverSide = h.nextSocket();
      const peer = await Peer.connect(h);
      await peer.join();
      (await serverSide).disconnect(true);
      assert.deepEqual(await peer.take(1), ["41"]);
      assert.equal((await peer.closed).code, 1005);
    });

    it("answers a ws-level ping with a pong carrying the same payload", async () => {
      const h = await startEngine();
      const peer = await Peer.connect(h);
      const pong = once(peer.ws, "pong");
      peer.ws.ping("are you there?");
      const [payload] = (await pong) as [Buffer];
      assert.equal(payload.toString(), "are you there?");
    });

    it("reads a frame sent in the same TCP write as the upgrade request (the upgrade head)", async () => {
      const h = await startEngine();
      const res = await rawRequest(h.port, ENGINE_PATH, upgradeHeaders(h.port), "GET", clientFrame(OP.PING, "early"));
      open.raws.push(res.socket);
      assert.equal(res.status, 101);
      const frames = new FrameCollector(res.socket, res.rest);
      const [pong] = (await frames.until((f) => f.some((x) => x.opcode === OP.PONG), "a pong")).filter((f) => f.opcode === OP.PONG);
      assert.equal(pong?.payload.toString(), "early");
    });

    it("a client's terminate() is noticed: the socket's reason is 'transport close'", async () => {
      const h = await startEngine();
      const serverSide = h.nextSocket();
      const peer = await Peer.connect(h);
      await peer.join();
      const socket = await serverSide;
      const disconnected = once(socket, "disconnect");
      peer.ws.terminate();
      assert.equal((await disconnected)[0], "transport close");
    });

    for (const [name, frame, status] of [
      ["an unmasked frame", clientFrame(OP.TEXT, '42["hello","x"]', { mask: false }), 1002],
      ["RSV1 without permessage-deflate", clientFrame(OP.TEXT, '42["hello","x"]', { rsv: 0x40 }), 1002],
      ["opcode 3", clientFrame(3, "x"), 1002],
      ["a continuation without a start", clientFrame(OP.CONT, "x"), 1002],
      ["invalid UTF-8 in a text frame", clientFrame(OP.TEXT, Buffer.from([0x34, 0xff])), 1007],
      ["a close code 1005 on the wire", clientFrame(OP.CLOSE, closeBody(1005)), 1002],
    ] as const) {
      it(`${name}: a close frame with ${status}, the TCP connection ends, the server stays healthy`, async () => {
        const h = await startEngine();
        const { frames } = await rawJoined(h);
        const disconnected = h.nextDisconnect();
        frames.send(frame);
        await frames.until((_, ended) => ended, "the end of the connection");
        assert.equal(closeCodeOf(closeFrameOf(frames.frames)), status, frames.frames.map(describeFrame).join(" | "));
        assert.equal((await disconnected)[0], "transport error");
        await servesAnother(h);
      });
    }

    it(
      "a protocol error's disconnect description carries ws's error text",
      async () => {
        const h = await startEngine();
        const serverSide = h.nextSocket();
        const { frames } = await rawJoined(h);
        const socket = await serverSide;
        const disconnected = once(socket, "disconnect") as Promise<[string, { message?: string; type?: string }]>;
        frames.send(clientFrame(OP.TEXT, "x", { rsv: 0x40 }));
        const [reason, description] = await disconnected;
        assert.equal(reason, "transport error");
        assert.equal(description.type, "TransportError");
        assert.equal(description.message, "RangeError: Invalid WebSocket frame: RSV1 must be clear");
      },
    );

    it("the 101 response carries the headers engine.io's initial_headers and headers listeners add", async () => {
      const h = await startEngine();
      h.io.engine.on("initial_headers", (headers: Record<string, string>) => {
        headers["X-Initial"] = "yes";
      });
      h.io.engine.on("headers", (headers: Record<string, string>) => {
        headers["X-Every"] = "1";
      });
      const { res, frames } = await rawUpgrade(h);
      assert.equal(res.status, 101);
      await frames.text("0{");
      assert.equal(res.headers["x-initial"], "yes");
      assert.equal(res.headers["x-every"], "1");
      assert.equal(res.headers["sec-websocket-accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    });

    it("a client that half-closes TCP without a close frame: the server closes too, the reason is 'transport close'", async () => {
      const h = await startEngine();
      const { res, frames } = await rawJoined(h);
      const disconnected = h.nextDisconnect();
      res.socket.end();
      await frames.until((_, ended) => ended, "the end of the connection");
      assert.equal(closeFrameOf(frames.frames), undefined, "no close frame on a connection the client has left");
      assert.equal((await disconnected)[0], "transport close");
    });

    /** A message in 20000 one-byte fragments, then a ping: a close frame (refused) or a pong (still reading) comes first. */
    async function fragmentFlood(h: Harness): Promise<ServerFrame[]> {
      const { frames } = await rawJoined(h);
      const flood = [clientFrame(OP.TEXT, "4", { fin: false }), ...Array.from({ length: 20_000 }, () => clientFrame(OP.CONT, "x", { fin: false }))];
      frames.send(Buffer.concat(flood));
      frames.send(clientFrame(OP.PING, "still there?"));
      return frames.until((f) => f.some((x) => x.opcode === OP.CLOSE || x.opcode === OP.PONG), "a close frame or a pong");
    }

    it("a message in 20000 one-byte fragments is refused (ws's maxFragments is 16384)", async () => {
      const h = await startEngine();
      const frames = await fragmentFlood(h);
      assert.notEqual(closeFrameOf(frames), undefined, frames.map(describeFrame).join(" | "));
      await servesAnother(h);
    });

    it(
      "... with ws's close code 1008",
      async () => {
        const h = await startEngine();
        assert.equal(closeCodeOf(closeFrameOf(await fragmentFlood(h))), 1008);
      },
    );

    it("a server-initiated close the client never answers is dropped after 30 s (fake timers)", async (t) => {
      // Faked from the start, so that engine.io's own timers (set and cleared here) are fake too.
      t.mock.timers.enable({ apis: ["setTimeout"] });
      const h = await startEngine();
      const serverSide = h.nextSocket();
      const { frames } = await rawJoined(h);
      const socket = await serverSide;
      // The TCP socket under the server's WebSocket (`_socket` in ws's API and in rtio's).
      const tcp = (socket.conn.transport as unknown as { socket: { _socket: NetSocket } }).socket._socket;
      socket.disconnect(true);
      await frames.until((f) => closeFrameOf(f) !== undefined, "a close frame");
      t.mock.timers.tick(29_999);
      assert.equal(tcp.destroyed, false, "still waiting for the client's close frame");
      t.mock.timers.tick(1);
      assert.equal(tcp.destroyed, true, "dropped at 30 s");
      t.mock.timers.reset();
      await frames.until((_, ended) => ended, "the end of the connection");
    });

    it("io.close() closes open WebSocket connections; the client sees the close", async () => {
      const h = await startEngine();
      const peers = [await Peer.connect(h), await Peer.connect(h)];
      await peers[0]!.join();
      const closed = Promise.all(peers.map((p) => p.closed));
      const httpClosed = once(h.http, "close");
      await h.io.close();
      await httpClosed;
      for (const { code } of await closed) assert.equal(code, 1005);
      assert.equal(h.http.listening, false);
    });
  });
}

describe("server ws engine: nothing left behind", { timeout: 60_000 }, () => {
  // A process of its own: a server, a ws client joined to it, then io.close() and nothing else.
  // The process must exit by itself, so the engine left no socket or timer holding it.
  const script = (serverModule: string): string => `
    import { createServer } from "node:http";
    import WebSocket from "ws";
    const { Server } = await import(${JSON.stringify(serverModule)});
    const http = createServer();
    const io = new Server(http);
    await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
    const joined = new Promise((resolve) => io.on("connection", resolve));
    const ws = new WebSocket("ws://127.0.0.1:" + http.address().port + "${ENGINE_PATH}");
    ws.on("message", (data) => { if (String(data).startsWith("0{")) ws.send("40"); });
    ws.on("close", (code) => console.log("client closed " + code));
    await joined;
    await io.close();
    console.log("server closed");
  `;

  it("io.close() with a client still connected: both sides close and the process exits by itself", async () => {
    const { spawn } = await import("node:child_process");
    const serverModule = new URL("../../src/server/index.ts", import.meta.url).href;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script(serverModule)], {
      cwd: new URL("../..", import.meta.url),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    // A safety net only: the child is expected to exit long before.
    const guard = setTimeout(() => child.kill(), 50_000);
    const [code] = (await once(child, "exit")) as [number | null];
    clearTimeout(guard);
    assert.equal(code, 0, out);
    assert.match(out, /server closed/);
    assert.match(out, /client closed 1005/);
  });
});

describe("server ws engine: bad handshakes answered as ws answers them", { timeout: 90_000 }, () => {
  afterEach(closeAll);

  interface HandshakeRow {
    name: string;
    changes: Record<string, string | undefined>;
    /** What ws gives, where the row pins it (the rtio answer must equal ws's in every row). */
    status?: number;
    body?: string;
  }

  // (Requests engine.io refuses itself, a POST or a bad sid, never reach the wsEngine; engine.io
  // destroys their socket right after writing, so what a client reads of them is a race. A bad
  // EIO has its own describe below.)
  const ROWS: HandshakeRow[] = [
    { name: "no key", changes: { "Sec-WebSocket-Key": undefined }, status: 400, body: "Missing or invalid Sec-WebSocket-Key header" },
    { name: "a short key", changes: { "Sec-WebSocket-Key": "abc" }, status: 400, body: "Missing or invalid Sec-WebSocket-Key header" },
    { name: "no version", changes: { "Sec-WebSocket-Version": undefined }, status: 400, body: "Missing or invalid Sec-WebSocket-Version header" },
    { name: "version 7", changes: { "Sec-WebSocket-Version": "7" }, status: 400, body: "Missing or invalid Sec-WebSocket-Version header" },
    { name: "a bad subprotocol list", changes: { "Sec-WebSocket-Protocol": "chat,,x" }, status: 400, body: "Invalid Sec-WebSocket-Protocol header" },
    { name: "a duplicated subprotocol", changes: { "Sec-WebSocket-Protocol": "chat, chat" }, status: 400, body: "Invalid Sec-WebSocket-Protocol header" },
    { name: "Upgrade: h2c", changes: { Upgrade: "h2c" }, status: 400, body: "Invalid Upgrade header" },
  ];

  for (const row of ROWS) {
    it(`${row.name}: ${row.status ?? "as ws"}${row.body ? ` "${row.body}"` : ""}`, async () => {
      const [ours, theirs] = await Promise.all([start(), start({ wsEngine: WebSocketServer })]);
      const ask = async (h: Harness): Promise<{ status: number; body: string; version: string | undefined; connection: string | undefined }> => {
        const res = await rawRequest(h.port, ENGINE_PATH, { ...upgradeHeaders(h.port), ...row.changes });
        open.raws.push(res.socket);
        const body = (await res.ended).toString();
        return { status: res.status, body, version: res.headers["sec-websocket-version"], connection: res.headers["connection"] };
      };
      const [got, expected] = await Promise.all([ask(ours), ask(theirs)]);
      assert.deepEqual(got, expected);
      if (row.status !== undefined) assert.equal(got.status, row.status);
      if (row.body !== undefined) assert.equal(got.body, row.body);
      if (row.body?.includes("Version")) assert.equal(got.version, "13, 8");
      // The server survives it: a valid client still gets in.
      const peer = await Peer.connect(ours);
      await peer.join();
    });
  }
});

describe("server ws engine: an Engine.IO version the server does not speak", { timeout: 90_000 }, () => {
  afterEach(closeAll);

  // engine.io itself checks the version only after the 101, then writes its 400 behind it.
  const PATHS = [
    ["EIO=3 without allowEIO3", "/socket.io/?EIO=3&transport=websocket"],
    ["EIO=5", "/socket.io/?EIO=5&transport=websocket"],
    ["no EIO", "/socket.io/?transport=websocket"],
  ];
  for (const [name, path] of PATHS) {
    for (const wsEngine of [undefined, WebSocketServer]) {
      it(`${name}, with ${wsEngine ? "ws" : "rtio's engine"}: a 400 in place of the 101, and connection_error code 5`, async () => {
        const h = await start(wsEngine ? { wsEngine } : {});
        const errors: unknown[] = [];
        h.io.engine.on("connection_error", (err: { code: number; message: string }) => errors.push({ code: err.code, message: err.message }));
        const res = await rawRequest(h.port, path!, upgradeHeaders(h.port));
        open.raws.push(res.socket);
        assert.equal(res.status, 400);
        assert.equal((await res.ended).toString(), "Unsupported protocol version");
        assert.deepEqual(errors, [{ code: 5, message: "Unsupported protocol version" }]);
      });
    }
  }
});

/** The part of a server-side WebSocket both rtio's WebSocketConnection and ws's WebSocket have. */
interface ServerWebSocket {
  readonly readyState: number;
  readonly protocol: string;
  readonly bufferedAmount: number;
  send(data: unknown, cb?: (err?: Error | null) => void): void;
  ping(data?: unknown): void;
  close(code?: number, reason?: string | Buffer): void;
  terminate(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
}
interface UpgradeEngine {
  handleUpgrade(req: IncomingMessage, socket: NetSocket, head: Buffer, cb: (ws: ServerWebSocket) => void): void;
  close(cb?: (err?: Error) => void): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

const STANDALONE: Array<{ name: string; make: () => UpgradeEngine }> = [
  { name: "rtio's WebSocketEngine", make: () => new WebSocketEngine({ maxPayload: 1024 }) as unknown as UpgradeEngine },
  { name: "ws's WebSocketServer", make: () => new WebSocketServer({ noServer: true, maxPayload: 1024 }) as unknown as UpgradeEngine },
];

for (const variant of STANDALONE) {
  describe(`server ws engine: the ws API on a bare http server (${variant.name})`, { timeout: 90_000 }, () => {
    let http: HttpServer | undefined;
    let engine: UpgradeEngine;
    let url = "";
    let port = 0;
    let accepted: ServerWebSocket[] = [];
    const clients: WebSocket[] = [];
    const raws: NetSocket[] = [];

    async function setUp(): Promise<void> {
      engine = variant.make();
      accepted = [];
      http = createServer();
      http.on("upgrade", (req: IncomingMessage, socket: NetSocket, head: Buffer) => {
        engine.handleUpgrade(req, socket, head, (ws) => {
          accepted.push(ws);
          http!.emit("ws", ws);
        });
      });
      await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
      port = (http.address() as AddressInfo).port;
      url = `ws://127.0.0.1:${port}/`;
    }

    /** A ws client and the server's end of it. */
    async function pair(protocols?: string[]): Promise<{ client: WebSocket; server: ServerWebSocket }> {
      const serverSide = once(http!, "ws") as Promise<[ServerWebSocket]>;
      const client = new WebSocket(url, protocols);
      clients.push(client);
      client.on("error", () => undefined);
      await once(client, "open");
      const [server] = await serverSide;
      return { client, server };
    }

    afterEach(async () => {
      for (const c of clients.splice(0)) c.terminate();
      for (const r of raws.splice(0)) r.destroy();
      for (const ws of accepted) if (ws.readyState !== 3) ws.terminate();
      await Promise.all(accepted.filter((ws) => ws.readyState !== 3).map((ws) => new Promise((resolve) => ws.once("close", resolve))));
      await new Promise((resolve) => http?.close(resolve));
      http = undefined;
    });

    it("send: strings as text, Buffers and typed arrays as binary, numbers as text; the callback runs once written", async () => {
      await setUp();
      const { client, server } = await pair();
      const got: Array<[string, boolean]> = [];
      const all = new Promise<void>((resolve) =>
        client.on("message", (data: Buffer, isBinary: boolean) => {
          got.push([isBinary ? data.toString("hex") : data.toString(), isBinary]);
          if (got.length === 4) resolve();
        }),
      );
      const written = new Promise<unknown>((resolve) => server.send("text é", resolve));
      server.send(Buffer.from([1, 2]));
      server.send(new Uint8Array([3, 4]));
      server.send(42);
      assert.equal(await written, null, "no error for a write that went out (ws passes null)");
      await all;
      assert.deepEqual(got, [
        ["text é", false],
        ["0102", true],
        ["0304", true],
        ["42", false],
      ]);
    });

    it("delivers client messages with ws's (data, isBinary) arguments", async () => {
      await setUp();
      const { client, server } = await pair();
      const got: Array<[Buffer, boolean]> = [];
      const both = new Promise<void>((resolve) =>
        server.on("message", (data: Buffer, isBinary: boolean) => {
          got.push([data, isBinary]);
          if (got.length === 2) resolve();
        }),
      );
      client.send("hé");
      client.send(Buffer.from([9, 8, 7]));
      await both;
      assert.equal(got[0]![1], false);
      assert.ok(Buffer.isBuffer(got[0]![0]), "text comes as a Buffer too, as ws gives it");
      assert.equal(got[0]![0].toString(), "hé");
      assert.deepEqual(got[1], [Buffer.from([9, 8, 7]), true]);
    });

    it("server ping: the client pongs and the server sees 'pong' with the payload; client ping: the server sees 'ping'", async () => {
      await setUp();
      const { client, server } = await pair();
      const pong = once(server as unknown as NodeJS.EventEmitter, "pong");
      server.ping("from server");
      assert.equal(((await pong) as [Buffer])[0].toString(), "from server");
      const ping = once(server as unknown as NodeJS.EventEmitter, "ping");
      client.ping("from client");
      assert.equal(((await ping) as [Buffer])[0].toString(), "from client");
    });

    it("close(4000, reason): the client sees it, the server's close event has the code the client echoed; readyState goes 1, 2, 3", async () => {
      await setUp();
      const { client, server } = await pair();
      assert.equal(server.readyState, 1);
      const clientClosed = once(client, "close");
      const serverClosed = once(server as unknown as NodeJS.EventEmitter, "close");
      server.close(4000, "see you");
      assert.equal(server.readyState, 2);
      const [code, reason] = (await clientClosed) as [number, Buffer];
      assert.deepEqual([code, reason.toString()], [4000, "see you"]);
      const [serverCode, serverReason] = (await serverClosed) as [number, Buffer];
      assert.deepEqual([serverCode, serverReason.toString()], [4000, "see you"]);
      assert.equal(server.readyState, 3);
    });

    it("after close(), send calls back with ws's 'not open' error", async () => {
      await setUp();
      const { server } = await pair();
      server.close();
      const err = await new Promise<Error | null | undefined>((resolve) => server.send("late", resolve));
      assert.equal(err?.message, "WebSocket is not open: readyState 2 (CLOSING)");
    });

    it("argument errors: a ping over 125 bytes, a bad close code, a reason over 123 bytes", async () => {
      await setUp();
      // One connection per close() check: once close() has thrown, ws's socket is left CLOSING.
      const [a, b] = [await pair(), await pair()];
      assert.throws(() => a.server.ping(Buffer.alloc(126)), { name: "RangeError", message: "The data size must not be greater than 125 bytes" });
      assert.throws(() => a.server.close(1005), { name: "TypeError", message: "First argument must be a valid error code number" });
      assert.throws(() => b.server.close(1000, "x".repeat(124)), { name: "RangeError", message: "The message must not be greater than 123 bytes" });
    });

    it("terminate(): both sides see 1006", async () => {
      await setUp();
      const { client, server } = await pair();
      const clientClosed = once(client, "close");
      const serverClosed = once(server as unknown as NodeJS.EventEmitter, "close");
      server.terminate();
      assert.equal(((await clientClosed) as [number])[0], 1006);
      assert.equal(((await serverClosed) as [number])[0], 1006);
    });

    it("protocol, and bufferedAmount at rest", async () => {
      await setUp();
      const { server } = await pair(["b", "a"]);
      assert.equal(server.protocol, "b");
      assert.equal(server.bufferedAmount, 0);
      const { server: plain } = await pair();
      assert.equal(plain.protocol, "");
    });

    it("a protocol error emits 'error' with ws's code and a close frame with 1002", async () => {
      await setUp();
      const serverSide = once(http!, "ws") as Promise<[ServerWebSocket]>;
      const res = await rawRequest(port, "/", upgradeHeaders(port));
      raws.push(res.socket);
      const [server] = await serverSide;
      const error = once(server as unknown as NodeJS.EventEmitter, "error");
      const closed = new Promise<[number]>((resolve) => server.once("close", (code: number) => resolve([code])));
      const frames = new FrameCollector(res.socket, res.rest);
      res.socket.write(clientFrame(OP.TEXT, "x", { mask: false }));
      const [err] = (await error) as [Error & { code: string }];
      assert.equal(err.code, "WS_ERR_EXPECTED_MASK");
      assert.match(err.message, /MASK must be set$/);
      await frames.until((_, ended) => ended, "the end of the connection");
      assert.equal(closeCodeOf(closeFrameOf(frames.frames)), 1002);
      await closed;
    });

    it(
      "after a protocol error, the server's 'close' event reports 1006 (no close frame came back), as ws does",
      async () => {
        await setUp();
        const serverSide = once(http!, "ws") as Promise<[ServerWebSocket]>;
        const res = await rawRequest(port, "/", upgradeHeaders(port));
        raws.push(res.socket);
        const [server] = await serverSide;
        server.on("error", () => undefined);
        const closed = new Promise<number>((resolve) => server.once("close", (code: number) => resolve(code)));
        res.socket.write(clientFrame(OP.TEXT, "x", { rsv: 0x40 }));
        assert.equal(await closed, 1006);
      },
    );

    it("a message over maxPayload: 'error' with WS_ERR_UNSUPPORTED_MESSAGE_LENGTH, the client sees 1009", async () => {
      await setUp();
      const { client, server } = await pair();
      const error = once(server as unknown as NodeJS.EventEmitter, "error");
      const clientClosed = once(client, "close");
      client.send(Buffer.alloc(1025));
      assert.equal(((await error) as [Error & { code: string }])[0].code, "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH");
      assert.equal(((await clientClosed) as [number])[0], 1009);
    });

    it("once closed, the engine emits 'close', calls back, and answers new upgrades with 503", async () => {
      await setUp();
      const closedEvent = once(engine as unknown as NodeJS.EventEmitter, "close");
      const callback = new Promise<unknown>((resolve) => engine.close(resolve));
      await closedEvent;
      assert.equal(await callback, undefined);
      const res = await rawRequest(port, "/", upgradeHeaders(port));
      raws.push(res.socket);
      assert.equal(res.status, 503);
      assert.equal((await res.ended).toString(), "Service Unavailable");
    });

    it("handleUpgrade twice with one socket throws ws's error", async () => {
      await setUp();
      http!.removeAllListeners("upgrade");
      const thrown = new Promise<unknown>((resolve) =>
        http!.on("upgrade", (req: IncomingMessage, socket: NetSocket, head: Buffer) => {
          engine.handleUpgrade(req, socket, head, (ws) => accepted.push(ws));
          try {
            engine.handleUpgrade(req, socket, head, (ws) => accepted.push(ws));
            resolve(undefined);
          } catch (err) {
            resolve(err);
          }
        }),
      );
      const res = await rawRequest(port, "/", upgradeHeaders(port));
      raws.push(res.socket);
      const err = (await thrown) as Error | undefined;
      assert.match(err?.message ?? "", /^server\.handleUpgrade\(\) was called more than once with the same socket/);
      assert.equal(accepted.length, 1);
    });
  });
}
