// engine.io's options through rtio's server, side by side with socket.io 4.8: rtio's own
// WebSocket engine, transport and request handling sit under these options, so each must give
// what socket.io gives. Each case observes the wire (status, headers, the first messages) on
// both servers and compares; each also asserts what the option is for, so no case passes empty.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { io as officialIo } from "socket.io-client";
import WebSocket from "ws";
import { serverImpls, type RunningServer } from "../support/official-server.js";

const SERVERS = await serverImpls();
assert.equal(SERVERS.length, 2, "rtio's server and socket.io 4.8's");

interface PollingView {
  status: number;
  body: string;
  setCookie: string | undefined;
  contentEncoding: string | null;
}

async function pollingHandshake(port: number, path = "/socket.io/", init: RequestInit = {}): Promise<PollingView> {
  const res = await fetch(`http://127.0.0.1:${port}${path}?EIO=4&transport=polling`, init);
  return { status: res.status, body: masked(await res.text()), setCookie: maskedCookie(res.headers.get("set-cookie")), contentEncoding: res.headers.get("content-encoding") };
}

interface WebSocketView {
  /** The 101's Set-Cookie, or the refusal's status. */
  setCookie: string | undefined;
  status: number;
  /** The first text messages, session ids masked. */
  messages: string[];
}

/** Opens a raw WebSocket session and records the handshake response and the first `count` messages. */
function websocketHandshake(port: number, count: number, query = ""): Promise<WebSocketView> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket${query}`);
    const view: WebSocketView = { setCookie: undefined, status: 101, messages: [] };
    ws.on("upgrade", (res) => (view.setCookie = maskedCookie(res.headers["set-cookie"]?.join("; "))));
    ws.on("unexpected-response", (_req, res) => {
      view.status = res.statusCode ?? 0;
      res.resume();
      resolve(view);
    });
    ws.on("error", () => resolve(view));
    ws.on("message", (data: Buffer) => {
      view.messages.push(masked(data.toString()));
      if (view.messages.length === count) {
        ws.close();
        resolve(view);
      }
    });
  });
}

const masked = (text: string): string => text.replace(/"sid":"[^"]+"/g, '"sid":"<sid>"');
const maskedCookie = (cookie: string | null | undefined): string | undefined => cookie?.replace(/^([^=]+)=[^;]+/, "$1=<sid>");

/** Runs `observe` on both servers; asserts they agree and returns what they agree on. */
async function sideBySide<T>(opts: object, observe: (port: number, io: RunningServer["io"]) => Promise<T>): Promise<T> {
  const results: T[] = [];
  for (const server of SERVERS) {
    const running = await server.start(opts);
    try {
      results.push(await observe(running.port, running.io));
    } finally {
      await running.close();
    }
  }
  assert.deepEqual(results[0], results[1], "rtio and socket.io 4.8 must agree");
  return results[0]!;
}

describe("engine.io options: rtio as socket.io 4.8", { timeout: 30_000 }, () => {
  it("cookie: true sets the io cookie on the polling handshake (a WebSocket-only session gets none, as on socket.io)", async () => {
    const seen = await sideBySide({ cookie: true }, async (port) => ({ polling: await pollingHandshake(port), websocket: await websocketHandshake(port, 1) }));
    assert.match(seen.polling.setCookie ?? "", /^io=<sid>; Path=\/; HttpOnly; SameSite=Lax$/);
    assert.equal(seen.websocket.setCookie, undefined);
  });

  it("cookie options (name, path, sameSite, maxAge) come out the same", async () => {
    const seen = await sideBySide({ cookie: { name: "sticky", path: "/app", sameSite: "strict", maxAge: 3600 } }, async (port) => ({
      polling: await pollingHandshake(port),
      websocket: await websocketHandshake(port, 1),
    }));
    assert.match(seen.polling.setCookie ?? "", /^sticky=<sid>; Max-Age=3600; Path=\/app; HttpOnly; SameSite=Strict$/);
  });

  it("initialPacket is sent right after the open packet, over polling and WebSocket", async () => {
    const seen = await sideBySide({ initialPacket: "hello" }, async (port) => ({ polling: await pollingHandshake(port), websocket: await websocketHandshake(port, 2) }));
    assert.match(seen.polling.body, /\x1e4hello$/);
    assert.equal(seen.websocket.messages[1], "4hello");
  });

  it("allowUpgrades: false offers no upgrade, and socket.io-client stays on polling", async () => {
    const seen = await sideBySide({ allowUpgrades: false }, async (port) => {
      const handshake = await pollingHandshake(port);
      const c = officialIo(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false });
      try {
        await new Promise((resolve) => c.once("connect", () => resolve(undefined)));
        return { handshake, transport: c.io.engine.transport.name };
      } finally {
        c.disconnect();
      }
    });
    assert.match(seen.handshake.body, /"upgrades":\[\]/);
    assert.equal(seen.transport, "polling");
  });

  it("transports: ['polling'] refuses WebSocket sessions; ['websocket'] refuses polling ones", async () => {
    const pollingOnly = await sideBySide({ transports: ["polling"] }, async (port) => ({ polling: await pollingHandshake(port), websocket: await websocketHandshake(port, 1) }));
    assert.equal(pollingOnly.polling.status, 200);
    assert.match(pollingOnly.polling.body, /"upgrades":\[\]/);
    assert.equal(pollingOnly.websocket.status, 400);
    const websocketOnly = await sideBySide({ transports: ["websocket"] }, async (port) => ({ polling: await pollingHandshake(port), websocket: await websocketHandshake(port, 1) }));
    assert.equal(websocketOnly.polling.status, 400);
    assert.equal(websocketOnly.polling.body, '{"code":0,"message":"Transport unknown"}');
    assert.equal(websocketOnly.websocket.messages.length, 1);
  });

  it("httpCompression compresses polling responses over its threshold", async () => {
    const seen = await sideBySide({ httpCompression: { threshold: 0 } }, async (port) => pollingHandshake(port, "/socket.io/", { headers: { "accept-encoding": "gzip" } }));
    assert.equal(seen.contentEncoding, "gzip");
    const off = await sideBySide({ httpCompression: false }, async (port) => pollingHandshake(port, "/socket.io/", { headers: { "accept-encoding": "gzip" } }));
    assert.equal(off.contentEncoding, null);
  });

  it("addTrailingSlash: false answers under the path without a slash", async () => {
    const seen = await sideBySide({ addTrailingSlash: false }, async (port) => ({
      bare: (await pollingHandshake(port, "/socket.io")).status,
      slash: (await pollingHandshake(port, "/socket.io/")).status,
    }));
    assert.equal(seen.bare, 200);
  });

  it("b64=1 (forceBase64 clients): binary goes both ways as base64 text on a WebSocket, on every write path", async () => {
    const addHandlers = (io: RunningServer["io"]) => {
      io.on("connection", (socket) => {
        socket.join("room");
        socket.on("up", (buf: unknown, ack: (n: unknown) => void) => ack(Buffer.isBuffer(buf) ? [...buf] : typeof buf));
        socket.on("go", () => {
          socket.emit("direct", Buffer.from([1, 2]));
          io.to("room").emit("room", Buffer.from([3]));
          io.emit("all", new Uint8Array([5]).buffer);
        });
      });
    };
    const session = (port: number, io: RunningServer["io"], query: string) =>
      new Promise<string[]>((resolve, reject) => {
        addHandlers(io);
        const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket${query}`);
        const seen: string[] = [];
        ws.on("error", reject);
        ws.on("message", (data: Buffer, isBinary: boolean) => {
          const text = isBinary ? `<binary ${[...data]}>` : masked(data.toString());
          if (text.startsWith("0{")) return ws.send("40");
          seen.push(text);
          if (text.startsWith("40")) {
            // An attachment sent as base64 text, as engine.io-client sends it under forceBase64.
            ws.send('451-0["up",{"_placeholder":true,"num":0}]');
            ws.send("b" + Buffer.from([9, 8, 7]).toString("base64"));
            ws.send('42["go"]');
          }
          if (seen.length === 8) {
            ws.close();
            resolve(seen);
          }
        });
      });
    const b64 = await sideBySide({}, (port, io) => session(port, io, "&b64=1"));
    assert.deepEqual(b64.slice(1), [
      "430[[9,8,7]]",
      '451-["direct",{"_placeholder":true,"num":0}]',
      "bAQI=",
      '451-["room",{"_placeholder":true,"num":0}]',
      "bAw==",
      '451-["all",{"_placeholder":true,"num":0}]',
      "bBQ==",
    ]);
    const binary = await sideBySide({}, (port, io) => session(port, io, ""));
    assert.deepEqual(binary.filter((m) => m.startsWith("<")), ["<binary 1,2>", "<binary 3>", "<binary 5>"]);
  });

  it("a session id the server does not know is refused the same way on both transports", async () => {
    const seen = await sideBySide({}, async (port) => ({
      polling: await pollingHandshake(port, "/socket.io/", {}).then(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling&sid=nope`);
        return { status: res.status, body: await res.text() };
      }),
      websocket: await websocketHandshake(port, 1, "&sid=nope"),
    }));
    assert.equal(seen.polling.status, 400);
    assert.equal(seen.websocket.status, 400);
  });
});
