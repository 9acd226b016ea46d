// `allowEIO3` opens a second wire format (Engine.IO v3 framing, Socket.IO protocol v4 rules:
// "/" joined without a CONNECT, namespaces with their query in their name). Hostile raw v3
// clients, over WebSocket and long-polling: the server lives, each offender is either closed or
// still answering, no prototype is polluted, and a healthy v2 client keeps working.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { Server } from "../../src/server/index.js";
import { looksPolluted, prototypeSnapshot } from "../fuzz/verdict.js";
import { impl, type RunningServer } from "../support/official-server.js";

// Each frame with what happens to its sender: "closed", or "alive" (ignored, or a legal oddity).
// Every outcome is socket.io 4.8's too, but for "43", an ACK without an id, which rtio refuses
// as it does over Engine.IO v4.
const WS_FRAMES: Array<[string | Buffer, "closed" | "alive"]> = [
  // Namespaces with odd queries in their names.
  ["40/chat?a=1&a=2,", "alive"],
  ["40/chat?__proto__[polluted]=1&constructor[prototype][polluted]=1,", "alive"],
  ["40/chat?toString=1&hasOwnProperty=2,", "alive"],
  ["40/chat?" + "a=1&".repeat(2000) + ",", "alive"],
  ["40/chat?%zz=%,", "alive"],
  ["40" + "/x".repeat(5000) + ",", "alive"],
  // Packets for namespaces never joined, and ones a client may not send.
  ["41/nope,", "closed"],
  ['42/nope,["x"]', "closed"],
  ["44", "closed"],
  ['44"x"', "closed"],
  ["46", "closed"],
  ["4-", "closed"],
  ["47", "closed"],
  // Broken packets, and a payload that tries the prototype.
  ["43", "closed"],
  ["430[]", "alive"],
  ['451-["x",{"_placeholder":true,"num":0}]', "closed"],
  ["4" + "[".repeat(100_000), "closed"],
  ['42["x",', "closed"],
  ['42["x",{"__proto__":{"polluted":1}}]', "alive"],
  // Engine.IO v3 frames: binary ones start with their packet type; then every text type.
  [Buffer.from([4, 1, 2, 3]), "closed"],
  [Buffer.from([4]), "closed"],
  [Buffer.from([9]), "alive"],
  [Buffer.alloc(0), "alive"],
  ["", "closed"],
  ["0", "alive"],
  ["1", "alive"],
  ["3", "closed"],
  ["5", "alive"],
  ["6", "alive"],
  ["2probe", "alive"],
  ["9", "closed"],
];

// Engine.IO v3 long-polling payloads (`<length>:<packet>` runs), each with the status of the
// next poll of its session: 400 once the payload has closed the session. All as on socket.io 4.8.
const POLL_BODIES: Array<[string, 200 | 400]> = [
  ["abc", 400],
  ["99:40", 400],
  ["3:40/", 200],
  ["0:", 200],
  ["-1:4", 400],
  ["2:4", 400],
  ["1:", 400],
  ["4:42[]", 200],
  [":::", 400],
  ["2:40" + "1:6".repeat(1000), 200],
  ['16:42["x",{"a":1}]junk', 200],
];

const rtio = impl("rtio", Server as never);

describe("hostile Engine.IO v3 clients (allowEIO3)", { timeout: 120_000 }, () => {
  let server: RunningServer;
  let base: string;
  const prototypes = prototypeSnapshot();

  before(async () => {
    server = await rtio.start({ allowEIO3: true });
    const answer = (socket: { on(ev: string, fn: (...a: any[]) => void): unknown }) =>
      socket.on("x", (...args: unknown[]) => {
        const ack = args.at(-1);
        if (typeof ack === "function") ack("ok");
      });
    server.io.on("connection", answer);
    server.io.of("/chat").on("connection", answer);
    base = `127.0.0.1:${server.port}/socket.io/?EIO=3`;
  });
  after(() => server.close());

  /**
   * Opens a raw v3 WebSocket, waits for "/" to be joined (`40`), sends `frame`, then asks for an
   * ack. Resolves "closed" if the server closed the connection, "alive" if it still answers.
   */
  function hit(frame: string | Buffer): Promise<"closed" | "alive"> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${base}&transport=websocket`);
      ws.on("message", (data) => {
        const text = String(data);
        if (text === "40") {
          ws.send(frame);
          ws.send('4242["x"]');
        } else if (text === '4342["ok"]') {
          resolve("alive");
          ws.close();
        }
      });
      ws.on("close", () => resolve("closed"));
      ws.on("error", reject);
    });
  }

  it("survives every hostile frame over WebSocket, each sender closed or still answering as on socket.io", async () => {
    for (const [frame, expected] of WS_FRAMES) {
      assert.equal(await hit(frame), expected, Buffer.isBuffer(frame) ? `bytes ${frame.toString("hex")}` : frame.slice(0, 40));
    }
    assert.equal(looksPolluted(), false);
    assert.equal(prototypeSnapshot(), prototypes);
  });

  it("survives every hostile long-polling payload", async () => {
    for (const [body, nextPoll] of POLL_BODIES) {
      const open = await fetch(`http://${base}&transport=polling`);
      const sid = /"sid":"([^"]+)"/.exec(await open.text())![1];
      const post = await fetch(`http://${base}&transport=polling&sid=${sid}`, { method: "POST", body });
      await post.text();
      assert.equal(post.status, 200, body.slice(0, 20));
      const poll = await fetch(`http://${base}&transport=polling&sid=${sid}`);
      await poll.text();
      assert.equal(poll.status, nextPoll, body.slice(0, 20));
    }
    assert.equal(looksPolluted(), false);
  });

  it("still serves a well-behaved v2 client, on '/' and on a namespace", async () => {
    assert.equal(await hit('42["x"]'), "alive");
    assert.equal(await hit("40/chat?token=1,"), "alive");
  });
});
