// The server on an HTTP/2 server (`http2.createSecureServer({ allowHTTP1: true })`), as
// socket.io documents it: browsers then long-poll over HTTP/2, and WebSockets come over
// HTTP/1.1 on the same port. rtio and socket.io 4.8 run the same specs side by side.
import assert from "node:assert/strict";
import { once as onceEvent } from "node:events";
import { existsSync } from "node:fs";
import { connect as connectHttp2, createSecureServer, type ClientHttp2Session, type Http2SecureServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { chromium } from "playwright-core";
import { Server as OfficialServer } from "socket.io";
import { Server } from "../../src/server/index.js";
import { endPendingCloses } from "../support/official-server.js";
import { clientsUnderTest, connected, upgraded } from "../support/server-harness.js";
import { selfSigned } from "../support/tls.js";

type AnyServer = Server | OfficialServer;

const SERVERS: Array<{ name: string; make: (h2: Http2SecureServer) => AnyServer }> = [
  { name: "rtio", make: (h2) => new Server(h2) },
  { name: "socket.io 4.8", make: (h2) => new OfficialServer(h2) },
];

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const tls = selfSigned();
const skip = !tls && "openssl not available";

async function start(make: (h2: Http2SecureServer) => AnyServer): Promise<{ io: AnyServer; url: string; close(): Promise<void> }> {
  const h2 = createSecureServer({ ...tls!, allowHTTP1: true });
  const io = make(h2);
  h2.listen(0, "127.0.0.1");
  await onceEvent(h2, "listening");
  return {
    io,
    url: `https://127.0.0.1:${(h2.address() as AddressInfo).port}`,
    async close() {
      endPendingCloses(io.engine);
      await io.close();
    },
  };
}

interface Reply {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

function request(session: ClientHttp2Session, method: string, path: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": method, ":path": path, ...(body === undefined ? {} : { "content-type": "text/plain;charset=UTF-8" }) });
    let headers: Record<string, unknown> = {};
    let text = "";
    stream.setEncoding("utf8");
    stream.on("response", (h) => (headers = h));
    stream.on("data", (chunk: string) => (text += chunk));
    stream.on("end", () => resolve({ status: Number(headers[":status"]), body: text, headers }));
    stream.on("error", reject);
    stream.end(body);
  });
}

/** Polls until a payload other than a ping comes; answers pings. */
async function poll(session: ClientHttp2Session, path: string): Promise<string[]> {
  for (let i = 0; i < 5; i++) {
    const reply = await request(session, "GET", path);
    assert.equal(reply.status, 200);
    const packets = reply.body.split("\x1e").filter((p) => p !== "2");
    if (packets.length > 0) return packets;
    await request(session, "POST", path, "3");
  }
  throw new Error("only pings came");
}

interface Seen {
  secure: boolean;
  url: string;
  headerNames: string[];
  httpVersion: string;
}

/** One HTTP/2 long-polling session against a server: what the client got, and what the server saw. */
async function h2Session(make: (h2: Http2SecureServer) => AnyServer): Promise<{ packets: string[]; bundle: Reply; seen: Seen }> {
  const running = await start(make);
  const seen = new Promise<Seen>((resolve) => {
    running.io.on("connection", (socket) => {
      socket.on("echo", (value: unknown, cb: (v: unknown) => void) => cb(value));
      resolve({
        secure: socket.handshake.secure,
        url: socket.handshake.url,
        headerNames: Object.keys(socket.handshake.headers).sort(),
        httpVersion: socket.request.httpVersion,
      });
    });
  });
  const session = connectHttp2(running.url, { rejectUnauthorized: false });
  try {
    const open = await request(session, "GET", "/socket.io/?EIO=4&transport=polling");
    assert.equal(open.status, 200);
    assert.equal(open.body[0], "0");
    const { sid } = JSON.parse(open.body.slice(1)) as { sid: string };
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const packets: string[] = [open.body.replace(/"sid":"[^"]+"/, '"sid":"<sid>"')];
    assert.equal((await request(session, "POST", path, "40")).body, "ok");
    packets.push(...(await poll(session, path)).map((p) => p.replace(/"sid":"[^"]+"/, '"sid":"<sid>"')));
    assert.equal((await request(session, "POST", path, '421["echo",{"text":"über","n":1}]')).body, "ok");
    packets.push(...(await poll(session, path)));
    const bundle = await request(session, "GET", "/socket.io/socket.io.min.js");
    return { packets, bundle, seen: await seen };
  } finally {
    session.close();
    await running.close();
  }
}

const clients = await clientsUnderTest();

describe("server on HTTP/2 (allowHTTP1)", { timeout: 30_000, skip }, () => {
  it("long-polls over HTTP/2 as socket.io does: handshake, CONNECT, an ack, the handshake's data, the bundle", async () => {
    const ours = await h2Session(SERVERS[0]!.make);
    const theirs = await h2Session(SERVERS[1]!.make);
    assert.deepEqual(ours.packets, ['0{"sid":"<sid>","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}', '40{"sid":"<sid>"}', '431[{"text":"über","n":1}]']);
    assert.deepEqual(ours.packets, theirs.packets);
    // socket.io reads `secure` from the request's socket once the first request's stream has
    // ended, when HTTP/2's socket proxy no longer knows: it says false. rtio notes it earlier.
    assert.deepEqual({ ...ours.seen, secure: false }, theirs.seen);
    assert.equal(theirs.seen.secure, false);
    assert.equal(ours.seen.secure, true);
    assert.equal(ours.seen.httpVersion, "2.0");
    assert.ok(ours.seen.headerNames.includes(":authority"), "HTTP/2's pseudo-headers are in handshake.headers, as on socket.io");
    assert.equal(ours.bundle.status, 200);
    assert.equal(ours.bundle.headers["content-type"], "application/javascript; charset=utf-8");
    assert.equal(theirs.bundle.status, 200);
  });

  for (const server of SERVERS) {
    for (const client of clients) {
      for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
        it(`${server.name} server, ${client.name} over HTTP/1.1 on the same port: ${transports.join(" then ")}`, async () => {
          const running = await start(server.make);
          running.io.on("connection", (socket) => socket.on("echo", (v: unknown, cb: (v: unknown) => void) => cb(v)));
          const c = client.io(running.url, { forceNew: true, reconnection: false, transports, rejectUnauthorized: false });
          try {
            await connected(c);
            if (transports.length === 2) await upgraded(c);
            const back = (await c.emitWithAck("echo", { bin: Buffer.from([1, 2]) })) as { bin: Uint8Array };
            assert.deepEqual([...new Uint8Array(back.bin)], [1, 2]);
          } finally {
            c.disconnect();
            await running.close();
          }
        });
      }
    }
  }
});

const PAGE = `<!doctype html><script src="/socket.io/socket.io.min.js"></script>
<script>
  // Connects with the transports in the query, echoes an event with binary, and reports.
  window.result = new Promise((resolve) => {
    const transports = new URLSearchParams(location.search).get("transports").split(",");
    const socket = io({ transports, reconnection: false });
    socket.on("connect_error", (err) => resolve({ error: err.message }));
    // A bound, not a wait: a server that never answers fails the test in 15 s, not at its timeout.
    setTimeout(() => resolve({ error: "no answer in 15 s" }), 15000);
    socket.on("connect", async () => {
      if (transports.length > 1 && socket.io.engine.transport.name !== "websocket") {
        await new Promise((r) => socket.io.engine.once("upgrade", r));
      }
      const back = await socket.emitWithAck("echo", { text: "über", bin: new Uint8Array([1, 2, 3]) });
      const polls = performance.getEntriesByType("resource").filter((e) => e.name.includes("transport=polling"));
      resolve({
        text: back.text,
        bin: Array.from(new Uint8Array(back.bin)),
        transport: socket.io.engine.transport.name,
        pollProtocols: [...new Set(polls.map((e) => e.nextHopProtocol))],
      });
      socket.disconnect();
    });
  });
</script>`;

describe("a real browser on the HTTP/2 server (Chromium)", { timeout: 60_000, skip: skip || (!existsSync(CHROMIUM) && `no browser at ${CHROMIUM}`) }, () => {
  for (const server of SERVERS) {
    for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
      it(`${server.name} server: ${transports.join(" then ")}, polling over HTTP/2, with the served bundle`, async () => {
        const running = await start((h2) => {
          h2.on("request", (req, res) => {
            if (req.url.startsWith("/page")) res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
          });
          return server.make(h2);
        });
        running.io.on("connection", (socket) => socket.on("echo", (v: unknown, cb: (v: unknown) => void) => cb(v)));
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
        try {
          const context = await browser.newContext({ ignoreHTTPSErrors: true });
          const page = await context.newPage();
          await page.goto(`${running.url}/page?transports=${transports.join(",")}`);
          const result = (await page.evaluate("window.result")) as { text: string; bin: number[]; transport: string; pollProtocols: string[] };
          assert.deepEqual(result.text, "über");
          assert.deepEqual(result.bin, [1, 2, 3]);
          assert.equal(result.transport, transports.at(-1));
          assert.deepEqual(result.pollProtocols, transports[0] === "polling" ? ["h2"] : []);
        } finally {
          await browser.close();
          await running.close();
        }
      });
    }
  }
});
