// The Manager's own events and controls: ping, packet, open(cb), the reconnect_* sequence
// against a dead port, and reconnecting by hand after the server said goodbye.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Manager } from "../../src/client/index.js";
import { Fixture, next } from "../support/client-fixtures.js";
import { serverImpls } from "../support/official-server.js";

for (const impl of await serverImpls()) {
  describe(`client Manager (${impl.name})`, () => {
    let f: Fixture;
    const managers: Manager[] = [];
    beforeEach(async () => {
      f = new Fixture(impl);
      await f.start({ pingInterval: 30, pingTimeout: 5000 });
    });
    afterEach(async () => {
      for (const m of managers.splice(0)) m._close();
      await f.end();
    });
    const manager = (url: string, opts: ConstructorParameters<typeof Manager>[1] = {}) => {
      const m = new Manager(url, { transports: ["websocket"], ...opts });
      managers.push(m);
      return m;
    };

    it("emits ping on each heartbeat and packet for each decoded packet", async () => {
      const m = manager(f.server.url);
      const packets: unknown[] = [];
      m.on("packet", (p) => packets.push(p.type));
      const socket = m.socket("/");
      await next(socket, "connect");
      await next(m, "ping");
      assert.deepEqual(packets, [0], "the CONNECT answer");
    });

    it("open(cb) reports success, or the error of a failed try without scheduling a reconnect", async () => {
      const m = manager(f.server.url, { autoConnect: false });
      assert.equal(m._readyState, "closed");
      await new Promise<void>((resolve, reject) => m.open((err) => (err ? reject(err) : resolve())));
      assert.equal(m._readyState, "open");

      const port = f.server.port;
      await f.server.close();
      const dead = manager(`http://127.0.0.1:${port}`, { autoConnect: false });
      let attempts = 0;
      dead.on("reconnect_attempt", () => attempts++);
      const err = await new Promise<Error | undefined>((resolve) => dead.open(resolve));
      assert.ok(err instanceof Error);
      assert.equal(dead._reconnecting, false);
      assert.equal(attempts, 0);
    });

    it("tries reconnectionAttempts times, with reconnect_error each time, then reconnect_failed", async () => {
      const port = f.server.port;
      await f.server.close();
      const m = manager(`http://127.0.0.1:${port}`, { reconnectionAttempts: 3, reconnectionDelay: 1, reconnectionDelayMax: 1 });
      const events: string[] = [];
      m.on("reconnect_attempt", (n) => events.push(`attempt ${n}`));
      m.on("reconnect_error", () => events.push("error"));
      m.on("reconnect_failed", () => events.push("failed"));
      await next(m, "reconnect_failed");
      // socket.io-client's order: reconnect_failed comes just before the last reconnect_error.
      assert.deepEqual(events, ["attempt 1", "error", "attempt 2", "error", "attempt 3", "failed", "error"]);
      assert.equal(m._reconnecting, false);
    });

    it("setters change the policy and the getters read it", () => {
      const m = manager(f.server.url, { autoConnect: false });
      assert.deepEqual(
        [m.reconnection(), m.reconnectionAttempts(), m.reconnectionDelay(), m.reconnectionDelayMax(), m.randomizationFactor(), m.timeout()],
        [true, Infinity, 1000, 5000, 0.5, 20000],
      );
      m.reconnection(false).reconnectionAttempts(3).reconnectionDelay(10).reconnectionDelayMax(20).randomizationFactor(0).timeout(false);
      assert.deepEqual(
        [m.reconnection(), m.reconnectionAttempts(), m.reconnectionDelay(), m.reconnectionDelayMax(), m.randomizationFactor(), m.timeout()],
        [false, 3, 10, 20, 0, false],
      );
    });

    it("a socket the server disconnected connects again when asked", async () => {
      const m = manager(f.server.url);
      const socket = m.socket("/");
      const [peer] = await next(f.server.io, "connection");
      if (!socket.connected) await next(socket, "connect");
      const gone = next(socket, "disconnect");
      peer.disconnect();
      await gone;
      socket.connect();
      await next(socket, "connect");
      assert.equal(socket.connected, true);
    });
  });
}
