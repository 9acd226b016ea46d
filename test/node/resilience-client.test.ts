// Client resilience: servers that answer garbage, close mid-handshake or vanish for minutes
// never throw into the app; reconnection keeps its bounds and its jitter, so the clients of
// a restarted server do not all come back in the same instant.
import assert from "node:assert/strict";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { io as rtio, type Socket as ClientSocket } from "../../src/client/index.js";
import { Server } from "../../src/server/index.js";
import { startHostileServer, type Behaviour, type HostileServer } from "../support/hostile-servers.js";
import { ManualTimers } from "../support/hostile-timers.js";

/** Collects what escapes into the process while a test runs. */
function watchEscapes(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (err: unknown) => errors.push(err);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return {
    errors,
    stop() {
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    },
  };
}

function waitEvent(emitter: { once(ev: string, fn: (...a: any[]) => void): unknown }, ev: string): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(ev, (...args: unknown[]) => resolve(args)));
}

async function listen(port = 0): Promise<{ http: HttpServer; io: Server; port: number }> {
  const http = createServer();
  const io = new Server(http);
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  return { http, io, port: (http.address() as AddressInfo).port };
}


const BEHAVIOURS: Array<{ behaviour: Behaviour; transports: Array<"polling" | "websocket">; todo?: string }> = [
  { behaviour: "garbage handshake", transports: ["polling"] },
  { behaviour: "http 500", transports: ["polling"] },
  { behaviour: "drop connection", transports: ["polling", "websocket"] },
  { behaviour: "drop connection", transports: ["websocket"] },
  { behaviour: "broken open packet", transports: ["websocket"] },
  { behaviour: "broken open packet", transports: ["polling"] },
  { behaviour: "null open packet", transports: ["websocket"] },
  { behaviour: "null open packet", transports: ["polling"] },
  { behaviour: "garbage after open", transports: ["websocket"] },
  { behaviour: "binary junk", transports: ["websocket"] },
  { behaviour: "close after open", transports: ["websocket"] },
  { behaviour: "bad connect reply", transports: ["websocket"] },
];

describe("client resilience: hostile servers", { timeout: 60_000 }, () => {
  let server: HostileServer | undefined;
  let client: ClientSocket | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  for (const { behaviour, transports, todo } of BEHAVIOURS) {
    it(`${behaviour} (${transports.join("+")}): no exception reaches the app; the client keeps retrying`, todo ? { todo } : {}, async () => {
      const escapes = watchEscapes();
      try {
        server = await startHostileServer(behaviour);
        const errors: unknown[] = [];
        client = rtio(server.url, { forceNew: true, transports, reconnectionDelay: 5, reconnectionDelayMax: 10, timeout: 5_000 });
        client.on("connect_error", (err: unknown) => errors.push(err));
        // Three tries (one connect, two reconnections) with the app never seeing a throw.
        let attempts = 0;
        await new Promise<void>((resolve) => client!.io.on("reconnect_attempt", () => ++attempts === 2 && resolve()));
        assert.equal(client.connected, false);
        assert.ok(server.hits >= 2, "the client did reach the server");
        for (const err of errors) assert.ok(err instanceof Error, "connect_error gives an Error");
        assert.deepEqual(escapes.errors, []);
      } finally {
        escapes.stop();
      }
    });
  }
});

describe("client resilience: a server gone for minutes, then hours", { timeout: 120_000 }, () => {
  it("reconnects with delays within [delay*(1-rf), delayMax] for 5 virtual minutes, then comes back when the server does", async () => {
    const escapes = watchEscapes();
    const first = await listen();
    const port = first.port;
    const timers = new ManualTimers();
    const client = rtio(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"], timers, timeout: false, reconnectionDelay: 1_000, reconnectionDelayMax: 5_000, randomizationFactor: 0.5 });
    try {
      await waitEvent(client, "connect");
      const gone = waitEvent(client, "disconnect");
      await first.io.close();
      assert.equal((await gone)[0], "transport close");
      const delays: number[] = [];
      while (timers.now < 5 * 60_000) {
        const t = await timers.next();
        delays.push(t.ms);
        const failed = waitEvent(client.io, "reconnect_error");
        timers.fire(t);
        await failed;
      }
      assert.ok(delays.length > 50, `${delays.length} attempts in 5 minutes`);
      assert.ok(delays[0]! >= 500 && delays[0]! <= 1_500, `first delay ${delays[0]}`);
      for (const [n, ms] of delays.entries()) {
        const floor = Math.min(1_000 * 2 ** n * 0.5, 5_000 * 0.5);
        assert.ok(ms <= 5_000 && ms >= Math.floor(floor), `attempt ${n + 1}: ${ms} ms`);
      }
      // The server comes back on the same port: the next try succeeds.
      const second = await listen(port);
      const back = waitEvent(client, "connect");
      timers.fire(await timers.next());
      await back;
      assert.equal(client.connected, true);
      assert.deepEqual(escapes.errors, []);
      client.close();
      await second.io.close();
    } finally {
      escapes.stop();
      client.close();
    }
  });

  it("after 1,100 failed attempts (about 1.5 virtual hours) the delay still never drops below the floor", async () => {
    const timers = new ManualTimers();
    const { http, io, port } = await listen();
    const client = rtio(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"], timers, timeout: false, reconnectionDelay: 1_000, reconnectionDelayMax: 5_000 });
    try {
      await waitEvent(client, "connect");
      await io.close();
      http.close();
      const tooShort: Array<[number, number]> = [];
      for (let n = 0; n < 1_100; n++) {
        const t = await timers.next();
        if (t.ms < 2_500 && n > 3) tooShort.push([n + 1, t.ms]);
        const failed = waitEvent(client.io, "reconnect_error");
        timers.fire(t);
        await failed;
      }
      assert.deepEqual(tooShort.slice(0, 5), [], `${tooShort.length} delays under 2.5 s after the 4th attempt`);
    } finally {
      client.close();
    }
  });
});

describe("client resilience: reconnect spread after a server restart", { timeout: 180_000 }, () => {
  const N = 200;
  const DELAY = 1_000;
  const RF = 0.5;
  let port: number;
  let clients: ClientSocket[] = [];
  let firstDelays: number[] = [];
  let attemptTimes: number[] = [];
  let stopServer: () => Promise<void>;
  const servers: Server[] = [];

  before(async () => {
    const first = await listen();
    port = first.port;
    firstDelays = [];
    clients = Array.from({ length: N }, () => {
      // Real timers, watched: each client reports the delay it picked for its first try.
      let picked: number | undefined;
      const timers = {
        setTimeout: (fn: () => void, ms: number) => {
          return setTimeout(() => {
            picked = ms;
            fn();
            picked = undefined;
          }, ms);
        },
        clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
      };
      const c = rtio(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"], timers, timeout: false, reconnectionDelay: DELAY, reconnectionDelayMax: 5_000, randomizationFactor: RF });
      c.io.once("reconnect_attempt", () => {
        if (picked !== undefined) firstDelays.push(picked);
        attemptTimes.push(performance.now());
      });
      return c;
    });
    await Promise.all(clients.map((c) => waitEvent(c, "connect")));
    servers.push(first.io);
    stopServer = () => first.io.close();
  });
  after(async () => {
    for (const c of clients) c.close();
    for (const io of servers) await io.close();
  });

  it(`${N} clients: every first reconnect delay lies in [delay*(1-rf), delay*(1+rf)] and they are spread, not bunched`, async () => {
    const killedAt = performance.now();
    attemptTimes = [];
    await stopServer();
    const second = await listen(port);
    servers.push(second.io);
    const allBack = Promise.all(clients.map((c) => waitEvent(c, "connect")));
    await allBack;
    try {
      assert.equal(firstDelays.length, N, "every client reported its first delay");
      const lo = DELAY * (1 - RF);
      const hi = DELAY * (1 + RF);
      for (const d of firstDelays) assert.ok(d >= lo && d <= hi, `delay ${d} outside [${lo}, ${hi}]`);
      const sorted = [...firstDelays].sort((a, b) => a - b);
      const range = sorted.at(-1)! - sorted[0]!;
      // Uniform over 1,000 ms: 200 draws span almost all of it; bunching would not.
      assert.ok(range > 600, `delays span only ${range} ms`);
      const buckets = new Array<number>(10).fill(0);
      for (const d of firstDelays) buckets[Math.min(9, Math.floor((d - lo) / ((hi - lo) / 10)))]!++;
      assert.ok(Math.max(...buckets) < N * 0.25, `a tenth of the window holds ${Math.max(...buckets)} of ${N}: ${buckets.join(",")}`);
      assert.equal(new Set(firstDelays).size > N / 4, true, "the delays are not a handful of values");
      const rel = attemptTimes.map((t) => t - killedAt).sort((a, b) => a - b);
      const pct = (p: number) => rel[Math.min(rel.length - 1, Math.floor((p / 100) * rel.length))]!.toFixed(0);
      console.log(`# spread: delays ${sorted[0]}..${sorted.at(-1)} ms, buckets ${buckets.join(",")}; attempts after kill p0 ${pct(0)} p10 ${pct(10)} p50 ${pct(50)} p90 ${pct(90)} p100 ${pct(100)} ms`);
    } finally {
      for (const c of clients) c.close();
    }
  });
});
