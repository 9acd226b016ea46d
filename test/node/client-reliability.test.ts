// Nothing lost: the `retries` queue and connection state recovery, against every server.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Fixture, next } from "../support/client-fixtures.js";
import { serverImpls } from "../support/official-server.js";

const fastReconnect = { reconnectionDelay: 10, reconnectionDelayMax: 10, randomizationFactor: 0 };

for (const impl of await serverImpls()) {
  describe(`client retries (${impl.name})`, () => {
    let f: Fixture;
    beforeEach(async () => {
      f = new Fixture(impl);
      await f.start();
    });
    afterEach(() => f.end());

    it("delivers exactly once when the server acks later than ackTimeout", async () => {
      // Margins wide enough for a loaded machine: the answer comes after two ack timeouts and
      // long before the six tries are spent.
      const socket = f.client("/", { transports: ["websocket"], retries: 5, ackTimeout: 100 });
      const [peer] = await next(f.server.io, "connection");
      const received: number[] = [];
      peer.on("job", (n: number, ack: (r: string) => void) => {
        received.push(n);
        // Answers after two ack timeouts: a client that resent on timeout would deliver it thrice.
        setTimeout(() => ack(`done ${n}`), 250);
      });
      const acks: unknown[][] = [];
      const done = new Promise<void>((resolve) => {
        for (const n of [1, 2]) {
          socket.emit("job", n, (...a: unknown[]) => {
            acks.push(a);
            if (acks.length === 2) resolve();
          });
        }
      });
      await done;
      assert.deepEqual(received, [1, 2]);
      assert.deepEqual(acks, [
        [null, "done 1"],
        [null, "done 2"],
      ]);
    });

    it("gives up with the timeout error after retries + 1 tries without an answer", async () => {
      const socket = f.client("/", { transports: ["websocket"], retries: 1, ackTimeout: 20 });
      const [peer] = await next(f.server.io, "connection");
      let received = 0;
      peer.on("ignored", () => received++);
      await assert.rejects(socket.emitWithAck("ignored"), { message: "operation has timed out" });
      assert.equal(received, 1, "never resent over a connection that could still answer");
    });

    it("resends in order on reconnect what the lost connection never answered", async () => {
      const socket = f.client("/", { transports: ["websocket"], retries: 5, ...fastReconnect });
      const [first] = await next(f.server.io, "connection");
      await next(socket, "connect").catch(() => undefined);
      first.on("job", () => first.conn.close()); // drops the connection instead of answering
      const seen: number[] = [];
      f.server.io.on("connection", (s) => s.on("job", (n: number, ack: (r: number) => void) => (seen.push(n), ack(n * 10))));
      const results = await Promise.all([socket.emitWithAck("job", 1), socket.emitWithAck("job", 2)]);
      assert.deepEqual(results, [10, 20]);
      assert.deepEqual(seen, [1, 2]);
    });
  });

  describe(`client connection state recovery (${impl.name})`, () => {
    let f: Fixture;
    beforeEach(async () => {
      f = new Fixture(impl);
      await f.start({ connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true } });
    });
    afterEach(() => f.end());

    it("offers its session back and receives the events it missed", async () => {
      const socket = f.client("/", { transports: ["websocket"], ...fastReconnect });
      const [peer] = await next(f.server.io, "connection");
      if (!socket.connected) await next(socket, "connect");
      assert.equal(socket.recovered, false);
      peer.join("room");
      const before = next(socket, "news");
      f.server.io.to("room").emit("news", "before");
      assert.equal((await before)[0], "before");

      const id = socket.id;
      const serverGone = next(peer, "disconnect");
      peer.conn.close();
      await serverGone;
      f.server.io.to("room").emit("news", "missed");
      const missed = next(socket, "news");
      await next(socket, "connect");
      assert.equal(socket.recovered, true);
      assert.equal(socket.id, id);
      assert.equal((await missed)[0], "missed");
    });
  });
}
