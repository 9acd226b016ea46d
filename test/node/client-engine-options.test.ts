// engine.io-client's options through rtio's client, side by side with socket.io-client 4.8:
// rtio's Manager builds the options it gives engine.io-client (a default path, the URL's query,
// its own options beside them), so each must reach the wire as socket.io-client's do. Each
// case records the HTTP requests and upgrades the server receives (through an engine
// middleware, on both servers) and what the client ends up with, compares the two clients,
// and also asserts what the option is for, so that no case passes empty.
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { io as officialIo } from "socket.io-client";
import { io as rtioIo } from "../../src/client/index.js";
import { serverImpls, type RunningServer } from "../support/official-server.js";
import { upgraded } from "../support/server-harness.js";

const SERVERS = await serverImpls();
assert.equal(SERVERS.length, 2, "rtio's server and socket.io 4.8's");

type Client = ReturnType<typeof officialIo>;
type Factory = (uri: string, opts: object) => Client;
const CLIENTS: Array<[string, Factory]> = [
  ["socket.io-client 4.8", officialIo as Factory],
  ["rtio client", rtioIo as unknown as Factory],
];

/** What the server saw of one request: its kind and transport, its query keys, and the headers a case asks for. */
interface RequestView {
  kind: "upgrade" | "GET" | "POST";
  transport: string;
  /** Query keys in order of appearance, with the values of the ones that say nothing (sid, timestamps) left out. */
  query: string[];
  path: string;
  headers: Record<string, string | undefined>;
}

const WATCHED_HEADERS = ["x-token", "x-poll", "x-ws", "sec-websocket-protocol", "sec-websocket-extensions"];
const VARYING = new Set(["sid", "t", "ts"]);

function viewOf(req: IncomingMessage): RequestView {
  const url = new URL(req.url!, "http://x");
  const headers: Record<string, string | undefined> = {};
  for (const name of WATCHED_HEADERS) if (req.headers[name] !== undefined) headers[name] = String(req.headers[name]);
  return {
    kind: req.headers.upgrade ? "upgrade" : (req.method as "GET" | "POST"),
    transport: url.searchParams.get("transport") ?? "",
    query: [...url.searchParams].map(([k, v]) => (VARYING.has(k) ? k : `${k}=${v}`)),
    path: url.pathname,
    headers,
  };
}

const sinks = new WeakMap<RunningServer, { requests: RequestView[] }>();

/**
 * A client on `running`; the requests and upgrades the engine receives from then on are
 * recorded in the returned array (the server's middleware and echo handler are installed once).
 */
function open(running: RunningServer, factory: Factory, opts: object, uri = running.url): { requests: RequestView[]; client: Client } {
  let sink = sinks.get(running);
  if (!sink) {
    const s = (sink = { requests: [] as RequestView[] });
    sinks.set(running, s);
    running.io.engine.use((req: IncomingMessage, _res: unknown, next: () => void) => {
      s.requests.push(viewOf(req));
      next();
    });
    running.io.on("connection", (socket) => socket.on("echo", (arg: unknown, ack: (v: unknown) => void) => ack(arg)));
  }
  const requests: RequestView[] = (sink.requests = []);
  return { requests, client: factory(uri, { forceNew: true, reconnection: false, ...opts }) };
}

function connected(client: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("connect_error", reject);
  });
}

/** Runs `observe` for each client on each server; asserts that both clients agree on each server and returns what they agree on. */
async function sideBySide<T>(serverOpts: object, observe: (running: RunningServer, factory: Factory) => Promise<T>): Promise<T> {
  let agreed: T | undefined;
  for (const server of SERVERS) {
    const results: T[] = [];
    for (const [, factory] of CLIENTS) {
      const running = await server.start(serverOpts);
      try {
        results.push(await observe(running, factory));
      } finally {
        await running.close();
      }
    }
    assert.deepEqual(results[1], results[0], `on the ${server.name}, rtio's client must do what socket.io-client 4.8 does`);
    agreed = results[0];
  }
  return agreed!;
}

/** Connects, waits for `ready`, checks an ack round trip, closes; returns the requests and the final transport. */
async function session(running: RunningServer, factory: Factory, opts: object, ready: (c: Client) => Promise<void> = async () => {}, uri?: string) {
  const { requests, client } = open(running, factory, opts, uri);
  try {
    await connected(client);
    await ready(client);
    assert.equal(await client.timeout(10_000).emitWithAck("echo", "hi"), "hi");
    return { requests: requests.map(summary), transport: client.io.engine.transport.name };
  } finally {
    client.disconnect();
  }
}

/** A request as one line, for views where the sequence matters more than the details. */
const summary = (r: RequestView): string => `${r.kind} ${r.transport}`;
/**
 * Each distinct value of `pick` over the requests, sorted: a poll and the upgrade go out on
 * separate connections, so the order they arrive in says nothing about the client.
 */
const distinct = <T>(requests: RequestView[], pick: (r: RequestView) => T): T[] => {
  const seen = new Map<string, T>();
  for (const r of requests) seen.set(JSON.stringify(pick(r)), pick(r));
  return [...seen.keys()].sort().map((key) => seen.get(key)!);
};

describe("engine.io-client options: rtio's client as socket.io-client 4.8", { timeout: 60_000 }, () => {
  it("transports: ['websocket'] opens straight on a WebSocket, with no polling request", async () => {
    const seen = await sideBySide({}, (running, factory) => session(running, factory, { transports: ["websocket"] }));
    assert.deepEqual(seen, { requests: ["upgrade websocket"], transport: "websocket" });
  });

  it("by default: polling first, then the upgrade", async () => {
    const seen = await sideBySide({}, async (running, factory) => {
      const { requests, transport } = await session(running, factory, {}, upgraded);
      return { first: requests[0], upgrades: requests.filter((r) => r.startsWith("upgrade")), transport };
    });
    assert.deepEqual(seen, { first: "GET polling", upgrades: ["upgrade websocket"], transport: "websocket" });
  });

  it("upgrade: false stays on polling and never asks for a WebSocket", async () => {
    const seen = await sideBySide({}, async (running, factory) => {
      const { requests, transport } = await session(running, factory, { upgrade: false });
      return { upgrades: requests.filter((r) => r.startsWith("upgrade")).length, transport };
    });
    assert.deepEqual(seen, { upgrades: 0, transport: "polling" });
  });

  it("tryAllTransports: true falls back to polling when the server refuses WebSocket; without it, connect_error", async () => {
    const transports = ["websocket", "polling"];
    const seen = await sideBySide({ transports: ["polling"] }, async (running, factory) => {
      const { requests, transport } = await session(running, factory, { transports, tryAllTransports: true });
      const tried = { first: requests[0], then: [...new Set(requests.slice(1))].sort(), transport };
      const { client } = open(running, factory, { transports });
      try {
        const without = await connected(client).then(
          () => "connected",
          (err: Error) => err.message,
        );
        return { tried, without };
      } finally {
        client.disconnect();
      }
    });
    assert.deepEqual(seen, {
      tried: { first: "upgrade websocket", then: ["GET polling", "POST polling"], transport: "polling" },
      without: "websocket error",
    });
  });

  it("rememberUpgrade: true opens on a WebSocket once a WebSocket has worked", async () => {
    const seen = await sideBySide({}, async (running, factory) => {
      // engine.io-client keeps the last success process-wide: a polling-only session clears it.
      await session(running, factory, { transports: ["polling"] });
      const first = await session(running, factory, { rememberUpgrade: true }, upgraded);
      const second = await session(running, factory, { rememberUpgrade: true });
      return { first: first.requests[0], second: second.requests, transport: second.transport };
    });
    assert.deepEqual(seen, { first: "GET polling", second: ["upgrade websocket"], transport: "websocket" });
  });

  it("query reaches every request, polling and upgrade alike; a query in the URL replaces it, as engine.io-client has it", async () => {
    const queries = (opts: object, path = "/") =>
      sideBySide({}, async (running, factory) => {
        const { requests, client } = open(running, factory, opts, running.url + path);
        try {
          await connected(client);
          await upgraded(client);
          return distinct(requests, (r) => [r.kind === "upgrade" ? "websocket" : "polling", r.query.filter((q) => !/^(transport|EIO)=|^(t|sid)$/.test(q))]);
        } finally {
          client.disconnect();
        }
      });
    assert.deepEqual(await queries({ query: { token: "abc" } }), [
      ["polling", ["token=abc"]],
      ["websocket", ["token=abc"]],
    ]);
    assert.deepEqual(await queries({ query: { token: "abc" } }, "/?room=1"), [
      ["polling", ["room=1"]],
      ["websocket", ["room=1"]],
    ]);
  });

  it("extraHeaders go on every polling request and on the upgrade", async () => {
    const seen = await sideBySide({}, async (running, factory) => {
      const { requests, client } = open(running, factory, { extraHeaders: { "x-token": "t0k" } });
      try {
        await connected(client);
        await upgraded(client);
        return distinct(requests, (r) => [r.kind, r.headers["x-token"]]);
      } finally {
        client.disconnect();
      }
    });
    assert.deepEqual(seen, [
      ["GET", "t0k"],
      ["POST", "t0k"],
      ["upgrade", "t0k"],
    ]);
  });

  it("transportOptions give each transport its own headers", async () => {
    const transportOptions = { polling: { extraHeaders: { "x-poll": "p" } }, websocket: { extraHeaders: { "x-ws": "w" } } };
    const seen = await sideBySide({}, async (running, factory) => {
      const { requests, client } = open(running, factory, { transportOptions });
      try {
        await connected(client);
        await upgraded(client);
        return distinct(requests, (r) => [r.kind === "upgrade" ? "websocket" : "polling", r.headers["x-poll"] ?? "-", r.headers["x-ws"] ?? "-"]);
      } finally {
        client.disconnect();
      }
    });
    assert.deepEqual(seen, [
      ["polling", "p", "-"],
      ["websocket", "-", "w"],
    ]);
  });

  it("timestampRequests and timestampParam: polling is stamped by default, a WebSocket only when asked", async () => {
    const stamps = (opts: object) =>
      sideBySide({}, async (running, factory) => {
        const { requests: seen, client } = open(running, factory, opts);
        try {
          await connected(client);
          await upgraded(client);
          return distinct(seen, (r) => [r.kind === "upgrade" ? "websocket" : "polling", r.query.filter((q) => q === "t" || q === "ts")]);
        } finally {
          client.disconnect();
        }
      });
    assert.deepEqual(await stamps({}), [
      ["polling", ["t"]],
      ["websocket", []],
    ]);
    assert.deepEqual(await stamps({ timestampRequests: true, timestampParam: "ts" }), [
      ["polling", ["ts"]],
      ["websocket", ["ts"]],
    ]);
    assert.deepEqual(await stamps({ timestampRequests: false }), [
      ["polling", []],
      ["websocket", []],
    ]);
  });

  it("forceBase64 asks for base64 (b64=1) on every request, and binary still goes both ways", async () => {
    const seen = await sideBySide({}, async (running, factory) => {
      const { requests, client } = open(running, factory, { forceBase64: true });
      try {
        await connected(client);
        await upgraded(client);
        const back = (await client.timeout(10_000).emitWithAck("echo", Buffer.from([9, 8, 7]))) as ArrayBuffer | Buffer;
        return { b64: distinct(requests, (r) => r.query.includes("b64=1")), back: [...new Uint8Array(back)] };
      } finally {
        client.disconnect();
      }
    });
    assert.deepEqual(seen, { b64: [true], back: [9, 8, 7] });
  });

  it("protocols and perMessageDeflate shape the WebSocket upgrade", async () => {
    const upgrade = (opts: object) =>
      sideBySide({ perMessageDeflate: { threshold: 0 } }, async (running, factory) => {
        const s = open(running, factory, { transports: ["websocket"], ...opts });
        try {
          await connected(s.client);
          return s.requests.find((r) => r.kind === "upgrade")?.headers;
        } finally {
          s.client.disconnect();
        }
      });
    const withDeflate = await upgrade({ protocols: ["chat"] });
    assert.equal(withDeflate?.["sec-websocket-protocol"], "chat");
    assert.match(withDeflate?.["sec-websocket-extensions"] ?? "", /^permessage-deflate/);
    const without = await upgrade({ perMessageDeflate: false });
    assert.equal(without?.["sec-websocket-extensions"], undefined);
  });

  it("path with addTrailingSlash: false asks under the path without a slash", async () => {
    const seen = await sideBySide({ path: "/rt", addTrailingSlash: false }, async (running, factory) => {
      const { requests, client } = open(running, factory, { path: "/rt", addTrailingSlash: false });
      try {
        await connected(client);
        await upgraded(client);
        return distinct(requests, (r) => r.path);
      } finally {
        client.disconnect();
      }
    });
    assert.deepEqual(seen, ["/rt"]);
  });
});
