// The ack store and the retry queue alone, with node:test's fake timers.
import assert from "node:assert/strict";
import { beforeEach, afterEach, describe, it, mock } from "node:test";
import { AckStore, type AckHost } from "../../src/client/acks.js";
import { ClientError } from "../../src/client/errors.js";
import { RetryQueue } from "../../src/client/retry-queue.js";
import { later } from "../../src/client/timers.js";

beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
afterEach(() => mock.timers.reset());

/** A fake socket for the ack store: its send buffer, and its Manager's timers. */
function ackHost(): AckHost {
  return { sendBuffer: [], io: { _later: later() } };
}

describe("AckStore", () => {
  it("gives fresh ids and settles each ack once", () => {
    const host = ackHost();
    const store = new AckStore(host);
    const got: unknown[][] = [];
    const a = store.add((...args) => got.push(args), false);
    const b = store.add((...args) => got.push(args), false);
    assert.notEqual(a, b);
    store.settle(a, [1, 2]);
    store.settle(a, [3]);
    store.settle(b, [4]);
    store.settle(b, [5]);
    assert.deepEqual(got, [[1, 2], [4]]);
  });

  it("times out an ack: error first, its unsent packet out of the send buffer first, and a late answer is ignored", () => {
    const host = ackHost();
    const store = new AckStore(host);
    const buffered: unknown[][] = [];
    const got: unknown[][] = [];
    const id = store.add((...args) => (buffered.push(host.sendBuffer.map((o) => o.packet.id)), got.push(args)), false, 100);
    const other = store.add(() => {}, false);
    host.sendBuffer.push({ packet: { id: other } }, { packet: { id } });
    mock.timers.tick(99);
    assert.equal(got.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(buffered, [[other]], "the timed-out packet left the send buffer before its ack ran; the other stayed");
    assert.equal((got[0]![0] as Error).message, "operation has timed out");
    store.settle(id, ["late"]);
    assert.equal(got.length, 1);
  });

  it("with a timeout, an answer in time comes error-first with null and cancels the timer", () => {
    const host = ackHost();
    const store = new AckStore(host);
    const got: unknown[][] = [];
    const id = store.add((...args) => got.push(args), false, 100);
    store.settle(id, ["ok"]);
    mock.timers.tick(1000);
    assert.deepEqual(got, [[null, "ok"]]);
  });

  it("dropAll: error-first acks learn of the disconnect, plain ones are dropped, kept ones stay", () => {
    const host = ackHost();
    const store = new AckStore(host);
    const got: string[] = [];
    store.add(() => got.push("plain"), false);
    store.add((err: Error) => got.push(err.message), true);
    const kept = store.add(() => got.push("kept"), true);
    host.sendBuffer.push({ packet: { id: kept } });
    store.dropAll();
    assert.deepEqual(got, ["socket has been disconnected"]);
    store.settle(kept, []);
    assert.deepEqual(got, ["socket has been disconnected", "kept"]);
  });
});

/** A fake socket for the queue (ackTimeout 100 ms): records sends, answers on demand. */
function host() {
  const sends: Array<{ args: unknown[]; ack: (err: Error | null, ...res: unknown[]) => void }> = [];
  return {
    connected: true,
    sends,
    _ackTimeout: 100,
    io: { _later: later() },
    // The socket's send: the ack comes last.
    _send: (args: unknown[]) => {
      const ack = args.pop() as (err: Error | null, ...res: unknown[]) => void;
      sends.push({ args, ack });
    },
  };
}

describe("RetryQueue", () => {
  it("sends one emit at a time, in order, each after the previous is acked", () => {
    const h = host();
    const q = new RetryQueue(h, 3);
    const acks: unknown[][] = [];
    q.push(["a", 1, (...r: unknown[]) => acks.push(r)]);
    q.push(["b", 2, (...r: unknown[]) => acks.push(r)]);
    assert.deepEqual(h.sends.map((s) => s.args), [["a", 1]]);
    h.sends[0]!.ack(null, "A");
    assert.deepEqual(h.sends.map((s) => s.args), [["a", 1], ["b", 2]]);
    h.sends[1]!.ack(null, "B");
    assert.deepEqual(acks, [[null, "A"], [null, "B"]]);
  });

  it("does not resend while the try can still be answered, and fails after retries + 1 tries", () => {
    const h = host();
    const q = new RetryQueue(h, 2);
    const acks: unknown[][] = [];
    q.push(["slow", (...r: unknown[]) => acks.push(r)]);
    mock.timers.tick(100);
    mock.timers.tick(100);
    assert.equal(h.sends.length, 1, "never sent twice on a live connection");
    assert.equal(acks.length, 0);
    mock.timers.tick(100);
    assert.equal(acks.length, 1);
    assert.equal((acks[0]![0] as Error).message, "operation has timed out");
    h.sends[0]!.ack(null, "too late");
    assert.equal(acks.length, 1);
  });

  it("accepts a late answer to the first try before the tries are spent", () => {
    const h = host();
    const q = new RetryQueue(h, 2);
    const acks: unknown[][] = [];
    q.push(["slow", (...r: unknown[]) => acks.push(r)]);
    mock.timers.tick(150);
    h.sends[0]!.ack(null, "late but fine");
    assert.deepEqual(acks, [[null, "late but fine"]]);
    assert.equal(h.sends.length, 1);
  });

  it("resends on reconnect when the connection that carried the try is gone", () => {
    const h = host();
    const q = new RetryQueue(h, 5);
    const acks: unknown[][] = [];
    q.push(["job", (...r: unknown[]) => acks.push(r)]);
    h.connected = false;
    h.sends[0]!.ack(new ClientError("ACK_DISCONNECTED", "socket has been disconnected"));
    assert.equal(h.sends.length, 1, "nothing sent while disconnected");
    assert.equal(acks.length, 0, "the emit is not over");
    h.connected = true;
    q.drain(); // what the socket does on connect
    assert.deepEqual(h.sends.map((s) => s.args), [["job"], ["job"]]);
    h.sends[1]!.ack(null, "done");
    assert.deepEqual(acks, [[null, "done"]]);
  });

  it("an emit's own timeout() replaces ackTimeout for its tries", () => {
    const h = host();
    const q = new RetryQueue(h, 0);
    const acks: unknown[][] = [];
    q.push(["quick", (...r: unknown[]) => acks.push(r)], { timeout: 10 });
    q.push(["default", (...r: unknown[]) => acks.push(r)]);
    mock.timers.tick(10);
    assert.equal(acks.length, 1, "the first emit gave up after its own 10 ms");
    mock.timers.tick(99);
    assert.equal(acks.length, 1);
    mock.timers.tick(1);
    assert.equal(acks.length, 2, "the second waited ackTimeout");
  });

  it("clear() drops every emit and its timer", () => {
    const h = host();
    const q = new RetryQueue(h, 1);
    const acks: unknown[] = [];
    q.push(["x", () => acks.push(1)]);
    q.clear();
    mock.timers.tick(1000);
    assert.deepEqual(acks, []);
  });
});
