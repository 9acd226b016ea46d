// Hostile raw clients over both transports: for every input of the table in
// test/support/hostile-cases.ts, the server lives, the offender is disconnected with a reason
// that says why (or the packet is ignored, or delivered as the legal oddity it is), no
// prototype is polluted, and a healthy client keeps receiving broadcasts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { HOSTILE_CASES } from "../support/hostile-cases.js";
import { connectHostile, type Transport } from "../support/hostile-raw.js";
import { clientsUnderTest, connected, once, startServer, type ClientSocket, type TestServer } from "../support/server-harness.js";
import { looksPolluted, prototypeSnapshot } from "../fuzz/verdict.js";

const [official] = await clientsUnderTest();
const PROBE = '2424242["probe"]';
const PROBE_REPLY = '3424242["pong"]';

for (const transport of ["websocket", "polling"] as Transport[]) {
  describe(`hostile raw clients over ${transport}`, { timeout: 120_000 }, () => {
    let s: TestServer;
    let healthy: ClientSocket;
    let ticks = 0;
    const appEvents: unknown[] = [];

    before(async () => {
      s = await startServer(official!);
      s.io.of("/admin");
      s.io.on("connection", (socket: Socket) => {
        socket.on("probe", (ack: (v: string) => void) => ack("pong"));
        socket.onAny((ev: unknown) => appEvents.push(ev));
      });
      healthy = await connected(s.connect("/", { transports: ["websocket"] }));
    });
    after(() => s.close());

    for (const c of HOSTILE_CASES) {
      it(`${c.group}: ${c.name} -> ${c.expect}`, async () => {
        const protos = prototypeSnapshot();
        const raw = await connectHostile(transport, s.port);
        const reply = await raw.join();
        const sid = (JSON.parse(reply.slice(1)) as { sid: string }).sid;
        const socket = s.io.of("/").sockets.get(sid)!;
        assert.ok(socket, "the raw client joined /");
        const reason = once<[string]>(socket, "disconnect");
        const delivered = new Promise<void>((resolve) => socket.onAny((ev: unknown) => ev === c.event && resolve()));
        const eventsBefore = appEvents.length;

        c.send(raw);
        if (c.expect === "parse error") {
          const [why] = await reason;
          assert.equal(why, "parse error");
          await raw.closed;
          assert.equal(raw.isOpen, false);
        } else {
          if (c.expect === "delivered") await delivered;
          raw.send(PROBE);
          await raw.waitFor((p) => p === PROBE_REPLY);
          assert.equal(socket.connected, true);
          if (c.expect === "ignored") assert.deepEqual(appEvents.slice(eventsBefore), ["probe"]);
        }
        assert.equal(prototypeSnapshot(), protos, "no built-in prototype gained a key");
        assert.equal(looksPolluted(), false);
        assert.ok(!appEvents.includes("error"), "a client can never emit 'error' into the app");

        const tick = once(healthy, "tick");
        s.io.emit("tick", ++ticks);
        const [n] = await tick;
        assert.equal(n, ticks, "the healthy client keeps receiving");
        assert.equal(healthy.connected, true);
        raw.close();
        await raw.closed;
      });
    }
  });
}
