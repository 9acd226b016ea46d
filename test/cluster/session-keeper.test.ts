// crashSafeSessions without Redis: a stand-in adapter records the session writes; timers are
// injected, so each turn of the event loop and each refresh happens when the test says.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, it } from "node:test";
import { crashSafeSessions, type KeeperTimers } from "../../src/cluster/index.js";

class FakeTimers implements KeeperTimers {
  immediates: Array<() => void> = [];
  intervals = new Map<number, { fn: () => void; ms: number }>();
  private next = 0;
  setInterval(fn: () => void, ms: number): unknown {
    this.intervals.set(++this.next, { fn, ms });
    return this.next;
  }
  clearInterval(handle: unknown): void {
    this.intervals.delete(handle as number);
  }
  setImmediate(fn: () => void): unknown {
    this.immediates.push(fn);
    return undefined;
  }
  /** Ends the current turn of the event loop. */
  turn(): void {
    for (const fn of this.immediates.splice(0)) fn();
  }
  tick(): void {
    for (const { fn } of this.intervals.values()) fn();
  }
}

interface Written {
  sid: string;
  pid: string;
  rooms: string[];
  data: unknown;
}

class FakeAdapter extends EventEmitter {
  written: Written[] = [];
  consumed: Array<[string, string]> = [];
  closed = false;
  persistSession(session: Written): void {
    this.written.push(structuredClone(session));
  }
  restoreSession(pid: string, offset: string): Promise<null> {
    this.consumed.push([pid, offset]);
    return Promise.reject(new Error("session or offset not found"));
  }
  close(): void {
    this.closed = true;
  }
}

class FakeSocket extends EventEmitter {
  readonly rooms: Set<string>;
  data: unknown = {};
  constructor(
    readonly id: string,
    readonly pid: string | undefined,
    readonly nsp: { name: string },
  ) {
    super();
    this.rooms = new Set([id]);
  }
}

function setUp(refreshInterval?: number) {
  const timers = new FakeTimers();
  const adapters: FakeAdapter[] = [];
  const factory = crashSafeSessions(
    () => {
      const a = new FakeAdapter();
      adapters.push(a);
      return a;
    },
    refreshInterval === undefined ? { timers } : { timers, refreshInterval },
  );
  const nsp = Object.assign(new EventEmitter(), {
    name: "/",
    sockets: new Map<string, FakeSocket>(),
    server: { opts: { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } } },
  });
  const adapter = factory(nsp as never) as unknown as FakeAdapter;
  const connect = (id: string, pid: string | null = `pid-${id}`) => {
    const socket = new FakeSocket(id, pid ?? undefined, nsp);
    nsp.sockets.set(id, socket);
    nsp.emit("connection", socket);
    return socket;
  };
  const join = (socket: FakeSocket, room: string) => {
    socket.rooms.add(room);
    adapter.emit("join-room", room, socket.id);
  };
  const leave = (socket: FakeSocket, room: string) => {
    socket.rooms.delete(room);
    adapter.emit("leave-room", room, socket.id);
  };
  return { timers, factory, nsp, adapter, connect, join, leave };
}

describe("crashSafeSessions", () => {
  it("stores a session when its socket connects, joins, leaves or gets new data: once per turn", () => {
    const { timers, adapter, connect, join, leave } = setUp();
    const s = connect("a");
    s.data = { user: "ann" };
    join(s, "r1");
    assert.equal(adapter.written.length, 0, "nothing before the turn ends");
    timers.turn();
    assert.deepEqual(adapter.written, [{ sid: "a", pid: "pid-a", rooms: ["a", "r1"], data: { user: "ann" } }]);

    join(s, "r2");
    join(s, "r3");
    leave(s, "r1");
    timers.turn();
    assert.equal(adapter.written.length, 2, "three changes in one turn: one write");
    assert.deepEqual(adapter.written[1]!.rooms, ["a", "r2", "r3"]);

    s.data = { user: "ann", score: 3 };
    timers.turn();
    assert.deepEqual(adapter.written[2]!.data, { user: "ann", score: 3 });
  });

  it("save(socket) stores a change made inside socket.data", () => {
    const { timers, factory, adapter, connect } = setUp();
    const s = connect("a");
    timers.turn();
    (s.data as Record<string, number>).score = 7;
    timers.turn();
    assert.equal(adapter.written.length, 1, "a nested change is not seen by itself");
    factory.save(s);
    timers.turn();
    assert.deepEqual(adapter.written[1]!.data, { score: 7 });
    assert.deepEqual(factory.stats(), { changeWrites: 2, refreshWrites: 0, forgets: 0 });
  });

  it("refreshes every connected session at half maxDisconnectionDuration (or refreshInterval)", () => {
    const { timers, factory, adapter, connect } = setUp();
    assert.deepEqual([...timers.intervals.values()].map((i) => i.ms), [30_000]);
    connect("a");
    connect("b");
    timers.turn();
    timers.tick();
    assert.deepEqual(adapter.written.slice(2).map((w) => w.sid), ["a", "b"]);
    assert.equal(factory.stats().refreshWrites, 2);
    adapter.close();
    assert.equal(timers.intervals.size, 0, "close() stops the refresh");
    assert.equal(adapter.closed, true, "and closes the adapter");
    assert.deepEqual([...setUp(5_000).timers.intervals.values()].map((i) => i.ms), [5_000]);
  });

  it("drops the stored session of a socket that leaves for good, keeps it on a recoverable reason", async () => {
    const { timers, factory, nsp, adapter, connect, join } = setUp();
    const gone = connect("a");
    const dropped = connect("b");
    timers.turn();
    join(gone, "r");
    nsp.sockets.delete("a");
    gone.emit("disconnect", "transport close");
    timers.turn();
    assert.equal(adapter.written.length, 2, "the server stores the final session itself: no write of ours");
    assert.deepEqual(adapter.consumed, []);

    nsp.sockets.delete("b");
    dropped.emit("disconnect", "client namespace disconnect");
    assert.deepEqual(adapter.consumed, [["pid-b", "0-0"]]);
    assert.equal(factory.stats().forgets, 1);
  });

  it("stores nothing for sockets without a private session id (recovery off)", () => {
    const { timers, adapter, connect, join } = setUp();
    const s = connect("a", null);
    join(s, "r");
    timers.turn();
    timers.tick();
    s.emit("disconnect", "client namespace disconnect");
    assert.deepEqual(adapter.written, []);
    assert.deepEqual(adapter.consumed, []);
  });
});
