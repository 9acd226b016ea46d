// Bounded frame-level fuzzing of rtio's own WebSocket server in every `npm test`: connections
// that complete the handshake and join "/", then send random frames (masked or not, any opcode,
// fragments, RSV bits, oversize payloads, raw garbage) cut at random points. The server process
// lives, every such connection ends, nothing of them stays on the server, and a healthy client
// is still served. RTIO_FUZZ_SEED replays a run.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { describe, it } from "node:test";
import type { Socket as EngineSocket } from "engine.io";
import { io as officialClient } from "socket.io-client";
import { Server } from "../../src/server/index.js";
import { clientFrame, OP } from "../support/ws-wire.js";

const CASES = 300;
const SEED = Number(process.env.RTIO_FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_MESSAGE = 4_000;

/** mulberry32: a small seeded generator, so a failing seed replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PAYLOADS = ["40", '42["echo",1]', '421["echo",{"a":1}]', "3", "2", "1", '451-["echo",{"_placeholder":true,"num":0}]', "4" + "x".repeat(300)];
const OPCODES = [OP.CONT, OP.TEXT, OP.BINARY, OP.CLOSE, OP.PING, OP.PONG, 3, 11];

function randomBytes(rand: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(rand() * 256)));
}

function randomFrame(rand: () => number): Buffer {
  if (rand() < 0.1) return randomBytes(rand, Math.floor(rand() * 40));
  const opcode = OPCODES[Math.floor(rand() * OPCODES.length)]!;
  const payload = rand() < 0.7 ? Buffer.from(PAYLOADS[Math.floor(rand() * PAYLOADS.length)]!) : randomBytes(rand, Math.floor(rand() * (rand() < 0.05 ? MAX_MESSAGE * 2 : 130)));
  return clientFrame(opcode, payload, { fin: rand() < 0.85, mask: rand() < 0.95, rsv: rand() < 0.05 ? 0x40 : 0, maskKey: [0, 1, 2, 3].map(() => Math.floor(rand() * 256)) as [number, number, number, number] });
}

/** One offender: handshake, join "/", random frames in random cuts, then its half of the close. Resolves when the TCP connection is gone. */
function offender(port: number, rand: () => number): Promise<void> {
  const bytes = Buffer.concat([clientFrame(OP.TEXT, "40"), ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => randomFrame(rand))]);
  const cuts: number[] = [];
  for (let at = 0; at < bytes.length; at += 1 + Math.floor(rand() * 200)) cuts.push(at);
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    socket.on("close", () => resolve());
    socket.write(
      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
    socket.once("data", () => {
      let i = 0;
      const next = (): void => {
        if (socket.destroyed) return;
        if (i === cuts.length) {
          socket.end();
          return;
        }
        socket.write(bytes.subarray(cuts[i]!, cuts[i + 1] ?? bytes.length), () => setImmediate(next));
        i++;
      };
      next();
    });
  });
}

describe("fuzz: rtio's WebSocket server, frame by frame", { timeout: 240_000 }, () => {
  it(`${CASES} connections sending random frames: all end, none stays, the server still serves`, async (t) => {
    const http = createServer();
    const io = new Server(http, { maxHttpBufferSize: MAX_MESSAGE });
    const reasons: Record<string, number> = {};
    io.on("connection", (socket) => {
      socket.on("echo", (value: unknown, ack?: (v: unknown) => void) => ack?.(value));
      socket.on("disconnect", (reason) => (reasons[reason] = (reasons[reason] ?? 0) + 1));
    });
    let opened = 0;
    let closed = 0;
    let allClosed: (() => void) | undefined;
    io.engine.on("connection", (conn: EngineSocket) => {
      opened++;
      conn.once("close", () => {
        closed++;
        if (closed === opened) allClosed?.();
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    const rand = random(SEED);
    try {
      for (let done = 0; done < CASES; done += 25) {
        await Promise.all(Array.from({ length: 25 }, () => offender(port, rand)));
      }
      // The server may notice the last ends a moment after the client sees its socket close.
      if (closed !== opened) await new Promise<void>((resolve) => (allClosed = resolve));
      t.diagnostic(`seed ${SEED}: ${opened} engine connections, all closed; disconnect reasons ${JSON.stringify(reasons)}`);
      // The inputs reach the protocol checks, not only the end of the stream.
      assert.ok((reasons["transport error"] ?? 0) > 0 && (reasons["transport close"] ?? 0) > 0, `seed ${SEED}: ${JSON.stringify(reasons)}`);
      assert.equal(io.engine.clientsCount, 0, `seed ${SEED}`);
      assert.equal(io.of("/").sockets.size, 0, `seed ${SEED}`);
      assert.equal(io.of("/").adapter.rooms.size, 0, `seed ${SEED}`);

      const healthy = officialClient(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
      try {
        const echoed = await new Promise((resolve, reject) => {
          healthy.on("connect_error", reject);
          healthy.on("connect", () => healthy.emit("echo", { still: "served" }, resolve));
        });
        assert.deepEqual(echoed, { still: "served" });
      } finally {
        healthy.close();
      }
    } finally {
      io.close();
    }
  });
});
