// The in-memory Adapter and the recovery adapter on their own, with a stand-in namespace:
// only the members the adapter contract says an adapter may use.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { Encoder, PacketType, type Packet } from "../../src/parser/index.js";
import { Adapter, SessionAwareAdapter } from "../../src/server/index.js";
import { bundleFor } from "../../src/server/serve-client.js";

interface Written {
  id: string;
  frames: unknown[];
  opts: unknown;
}

function fakeNamespace(ids: string[], recovery?: { maxDisconnectionDuration: number }, maxRecoveryPackets = 10_000) {
  const written: Written[] = [];
  const outgoing: string[] = [];
  const sockets = new Map<string, object>();
  const nsp = {
    name: "/",
    sockets,
    _ids: 0,
    server: {
      encoder: new Encoder(),
      _opts: { connectionStateRecovery: recovery },
      opts: { connectionStateRecovery: recovery },
      _maxRecoveryPackets: maxRecoveryPackets,
    },
  };
  for (const id of ids) {
    sockets.set(id, {
      id,
      acks: new Map(),
      notifyOutgoingListeners: () => outgoing.push(id),
      client: { writeToEngine: (frames: unknown[], opts: unknown) => written.push({ id, frames, opts }) },
      join: (rooms: string[]) => adapter.addAll(id, new Set(rooms)),
      leave: (room: string) => adapter.del(id, room),
      disconnect: (close: boolean) => written.push({ id, frames: ["disconnect"], opts: close }),
    });
  }
  let adapter: Adapter;
  const make = (A: typeof Adapter) => {
    adapter = new A(nsp as never);
    for (const id of ids) adapter.addAll(id, new Set([id]));
    return adapter;
  };
  return { nsp, written, outgoing, make };
}

const event = (...data: unknown[]): Packet => ({ type: PacketType.EVENT, nsp: "/", data });

describe("server Adapter (in memory)", () => {
  it("tracks rooms both ways and forgets empty rooms", () => {
    const { make } = fakeNamespace(["a", "b"]);
    const adapter = make(Adapter);
    adapter.addAll("a", new Set(["r1", "r2"]));
    adapter.addAll("b", new Set(["r2"]));
    assert.deepEqual([...adapter.rooms.get("r2")!], ["a", "b"]);
    assert.deepEqual([...adapter.socketRooms("a")!], ["a", "r1", "r2"]);
    adapter.del("a", "r1");
    assert.equal(adapter.rooms.has("r1"), false);
    adapter.delAll("b");
    assert.deepEqual([...adapter.rooms.get("r2")!], ["a"]);
    assert.equal(adapter.socketRooms("b"), undefined);
    adapter.del("nobody", "r2");
    adapter.delAll("nobody");
  });

  it("a socket's own room and its room list stay right through every change while they share one set", () => {
    const { make } = fakeNamespace(["a", "b"]);
    const adapter = make(Adapter);
    const events: string[] = [];
    for (const ev of ["create-room", "join-room", "leave-room", "delete-room"]) {
      adapter.on(ev, (room: string, id?: string) => events.push(`${ev} ${room}${id ? " " + id : ""}`));
    }
    const rooms = () => Object.fromEntries([...adapter.rooms].map(([r, m]) => [r, [...m].sort()]));
    const sids = () => Object.fromEntries([...adapter.sids].map(([s, r]) => [s, [...r].sort()]));
    adapter.addAll("a", new Set(["x"]));
    assert.deepEqual(rooms(), { a: ["a"], b: ["b"], x: ["a"] });
    assert.deepEqual(sids(), { a: ["a", "x"], b: ["b"] });
    // Another socket joins a room named after socket b.
    adapter.addAll("a", new Set(["b"]));
    assert.deepEqual(rooms(), { a: ["a"], b: ["a", "b"], x: ["a"] });
    assert.deepEqual(sids(), { a: ["a", "b", "x"], b: ["b"] });
    // b leaves its own room; the room lives on with a in it.
    adapter.del("b", "b");
    assert.deepEqual(rooms(), { a: ["a"], b: ["a"], x: ["a"] });
    assert.deepEqual(sids(), { a: ["a", "b", "x"], b: [] });
    adapter.delAll("a");
    assert.deepEqual(rooms(), {});
    assert.deepEqual(sids(), { b: [] });
    assert.deepEqual(events, [
      "create-room x", "join-room x a", "join-room b a", "leave-room b b",
      "leave-room a a", "delete-room a", "leave-room x a", "delete-room x", "leave-room b a", "delete-room b",
    ]);
  });

  it("a new socket's own room and room list are equal, and leaving its own room leaves its list alone", () => {
    const { make } = fakeNamespace(["a"]);
    const adapter = make(Adapter);
    adapter.del("a", "a");
    assert.equal(adapter.rooms.has("a"), false);
    assert.deepEqual([...adapter.sids.get("a")!], []);
    adapter.addAll("a", new Set(["a"]));
    assert.deepEqual([...adapter.rooms.get("a")!], ["a"]);
    assert.deepEqual([...adapter.sids.get("a")!], ["a"]);
    adapter.delAll("a");
    assert.equal(adapter.rooms.size + adapter.sids.size, 0);
  });

  it("broadcasts one encoding to every matching socket, each once, minus the excepted rooms", () => {
    const { make, written, outgoing } = fakeNamespace(["a", "b", "c"]);
    const adapter = make(Adapter);
    adapter.addAll("a", new Set(["x", "y"]));
    adapter.addAll("b", new Set(["y", "vip"]));
    adapter.addAll("c", new Set(["z"]));
    adapter.broadcast(event("m", 1), { rooms: new Set(["x", "y"]), except: new Set(["vip"]), flags: { compress: true } });
    assert.deepEqual(written.map((w) => w.id), ["a"]);
    assert.deepEqual(written[0]!.frames, ['2["m",1]']);
    const { wsPreEncodedFrame, wsFrames, ...opts } = written[0]!.opts as {
      wsPreEncodedFrame?: Buffer[];
      wsFrames?: { bytes: Buffer; binary: boolean };
    };
    assert.deepEqual(opts, { preEncoded: true, volatile: undefined, compress: true });
    // The WebSocket frame, built once: header bytes, then "4" + the packet.
    assert.equal(Buffer.concat(wsPreEncodedFrame!).subarray(-9).toString(), '42["m",1]');
    // The same bytes for the direct write to idle WebSockets: text frame, FIN, no mask.
    assert.deepEqual(wsFrames, { bytes: Buffer.concat(wsPreEncodedFrame!), binary: false });
    assert.equal(wsFrames!.bytes[0], 0x81);
    written.length = 0;
    adapter.broadcast(event("all"), { rooms: new Set() });
    assert.deepEqual(written.map((w) => w.id), ["a", "b", "c"]);
    // The same frames array for every recipient: encoded once.
    assert.ok(written.every((w) => w.frames === written[0]!.frames));
    assert.deepEqual(outgoing, ["a", "a", "b", "c"]);
  });

  it("broadcastWithAck registers one ack id on every recipient and reports the count", () => {
    const { make, written, nsp } = fakeNamespace(["a", "b"]);
    const adapter = make(Adapter);
    let count = -1;
    const ack = () => {};
    adapter.broadcastWithAck(event("q"), { rooms: new Set() }, (n) => (count = n), ack);
    assert.equal(count, 2);
    assert.equal(nsp._ids, 1);
    assert.deepEqual(written[0]!.frames, ['20["q"]']);
    for (const id of ["a", "b"]) assert.equal((nsp.sockets.get(id) as { acks: Map<number, unknown> }).acks.get(0), ack);
  });

  it("fetches, joins, leaves and disconnects matching sockets", async () => {
    const { make, written } = fakeNamespace(["a", "b"]);
    const adapter = make(Adapter);
    adapter.addAll("a", new Set(["g"]));
    assert.deepEqual(await adapter.sockets(new Set(["g"])), new Set(["a"]));
    assert.deepEqual(await adapter.sockets(new Set()), new Set(["a", "b"]));
    assert.equal((await adapter.fetchSockets({ rooms: new Set(), except: new Set(["g"]) })).length, 1);
    adapter.addSockets({ rooms: new Set(["g"]) }, ["h"]);
    assert.ok(adapter.socketRooms("a")!.has("h"));
    adapter.delSockets({ rooms: new Set(["h"]) }, ["h", "g"]);
    assert.equal(adapter.socketRooms("a")!.has("g"), false);
    adapter.disconnectSockets({ rooms: new Set(["b"]) }, true);
    assert.deepEqual(written, [{ id: "b", frames: ["disconnect"], opts: true }]);
    assert.equal(await adapter.serverCount(), 1);
  });

  it("answers serverSideEmit acks with no replies, and keeps no sessions", async () => {
    const { make } = fakeNamespace([]);
    const adapter = make(Adapter);
    const replies = await new Promise((resolve) => adapter.serverSideEmit(["ev", (err: unknown, r: unknown) => resolve([err, r])]));
    assert.deepEqual(replies, [null, []]);
    adapter.persistSession({ sid: "a", pid: "p", rooms: [], data: {} });
    assert.equal(adapter.restoreSession("p", "o"), null);
  });
});

describe("server SessionAwareAdapter (recovery)", () => {
  function recoveryAdapter(maxPackets = 10_000) {
    const ns = fakeNamespace(["a", "b"], { maxDisconnectionDuration: 1000 }, maxPackets);
    const adapter = ns.make(SessionAwareAdapter as unknown as typeof Adapter) as SessionAwareAdapter;
    return { ...ns, adapter };
  }

  const lastArg = (w: Written) => (JSON.parse((w.frames[0] as string).slice(1)) as string[]).at(-1)!;

  it("appends an offset to kept events, and restores the ones a session missed in its rooms", async () => {
    const { adapter, written } = recoveryAdapter();
    adapter.addAll("a", new Set(["room"]));
    adapter.broadcast(event("m", 1), { rooms: new Set(), except: new Set() });
    const offset = lastArg(written[0]!);
    adapter.persistSession({ sid: "a", pid: "pid-a", rooms: ["a", "room"], data: { n: 1 } });
    adapter.broadcast(event("m", 2), { rooms: new Set(["room"]), except: new Set() });
    adapter.broadcast(event("m", 3), { rooms: new Set(["other"]), except: new Set() });
    adapter.broadcast(event("m", 4), { rooms: new Set(), except: new Set(["room"]) });
    adapter.broadcast(event("m", 5), { rooms: new Set(), except: new Set(), flags: { volatile: true } });
    adapter.broadcast({ ...event("m", 6), id: 3 }, { rooms: new Set(), except: new Set() });
    const session = await adapter.restoreSession("pid-a", offset);
    assert.ok(session);
    assert.equal(session.sid, "a");
    assert.deepEqual(session.data, { n: 1 });
    assert.deepEqual(session.missedPackets.map((p) => p.slice(0, 2)), [["m", 2]]);
    // A session is restored once only.
    assert.equal(adapter.restoreSession("pid-a", offset), null);
    adapter.close();
  });

  it("does not restore an unknown pid, an unknown offset, or an expired session", async () => {
    const { adapter, written } = recoveryAdapter();
    mock.timers.enable({ apis: ["Date", "setInterval"], now: 1_000_000 });
    try {
      adapter.broadcast(event("m"), { rooms: new Set(), except: new Set() });
      const offset = lastArg(written[0]!);
      adapter.persistSession({ sid: "a", pid: "p1", rooms: [], data: null });
      adapter.persistSession({ sid: "b", pid: "p2", rooms: [], data: null });
      assert.equal(adapter.restoreSession("nope", offset), null);
      assert.equal(adapter.restoreSession("p1", "not-an-offset"), null);
      mock.timers.tick(1001);
      assert.equal(adapter.restoreSession("p2", offset), null);
    } finally {
      mock.timers.reset();
      adapter.close();
    }
  });

  it("keeps at most maxRecoveryPackets events: an offset that fell off means a new session", async () => {
    const { adapter, written } = recoveryAdapter(2);
    adapter.broadcast(event("m", 1), { rooms: new Set(), except: new Set() });
    const oldest = lastArg(written[0]!);
    adapter.persistSession({ sid: "a", pid: "p", rooms: [], data: null });
    adapter.broadcast(event("m", 2), { rooms: new Set(), except: new Set() });
    adapter.broadcast(event("m", 3), { rooms: new Set(), except: new Set() });
    assert.equal(adapter.restoreSession("p", oldest), null);
    adapter.close();
  });

  it("never mutates the packet it was given", () => {
    const { adapter } = recoveryAdapter();
    const packet = event("m", 1);
    adapter.broadcast(packet, { rooms: new Set(), except: new Set() });
    assert.deepEqual(packet.data, ["m", 1]);
    adapter.close();
  });
});

describe("server serveClient routes", () => {
  const rows: Array<[string | undefined, string | undefined]> = [
    ["/socket.io/socket.io.js", "rtio.js"],
    ["/socket.io/socket.io.min.js?v=1", "rtio.min.js"],
    ["/socket.io/socket.io.esm.min.js", "rtio.esm.min.js"],
    ["/socket.io/socket.io.msgpack.min.js", "rtio.msgpack.min.js"],
    ["/socket.io/socket.io.js.map", "rtio.js.map"],
    ["/socket.io/socket.io.msgpack.min.js.map", "rtio.msgpack.min.js.map"],
    ["/socket.io/?EIO=4&transport=polling", undefined],
    ["/socket.io/socket.io.exe", undefined],
    ["/socket.io/../package.json", undefined],
    ["/other/socket.io.js", undefined],
    ["/socket.iox/socket.io.js", undefined],
    ["/socket.io", undefined],
    ["/socket.io?x=/socket.io.js", undefined],
    [undefined, undefined],
  ];
  for (const [url, bundle] of rows) {
    it(`${url} -> ${bundle}`, () => assert.equal(bundleFor("/socket.io", url), bundle));
  }
});
