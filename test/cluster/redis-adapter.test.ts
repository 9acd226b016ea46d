// Three rtio server processes on one real redis-server, through each of the socket.io Redis
// adapters unchanged (pub/sub, sharded pub/sub, streams). Clients of both kinds (rtio's and
// the official socket.io-client) spread over the nodes; every cross-node feature of socket.io's
// server API must reach exactly the intended clients, once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AdapterKind } from "../support/cluster-adapters.js";
import { expectBroadcasts, connectMembers, type Emit, type Member, expectRoomMove } from "../support/cluster-broadcast.js";
import { closeClients, nextEvent, startCluster, type ClientSocket, type ClusterNode, type SocketInfo } from "../support/cluster-harness.js";
import { startRedis, type RedisServer } from "../support/redis.js";

/** Who sits where: both client kinds on every node, rooms overlapping across nodes. */
const LAYOUT: Array<Pick<Member, "name" | "node" | "kind" | "rooms">> = [
  { name: "a", node: 0, kind: "rtio", rooms: ["red"] },
  { name: "b", node: 0, kind: "official", rooms: ["blue"] },
  { name: "c", node: 1, kind: "rtio", rooms: ["red", "blue"] },
  { name: "d", node: 1, kind: "official", rooms: [] },
  { name: "e", node: 2, kind: "rtio", rooms: ["blue"] },
  { name: "f", node: 2, kind: "official", rooms: ["red"] },
];

const ADAPTERS: AdapterKind[] = ["redis", "sharded", "streams"];

for (const adapter of ADAPTERS) {
  describe(`3 rtio nodes, ${adapter} adapter`, { timeout: 180_000 }, () => {
    let redis: RedisServer;
    let nodes: ClusterNode[] = [];
    const sockets: ClientSocket[] = [];
    let members: Member[] = [];
    const byName = (name: string) => members.find((m) => m.name === name)!;

    before(async () => {
      redis = await startRedis();
      nodes = await startCluster([0, 1, 2].map((i) => ({ name: `n${i}`, redis: redis.url, adapter })));
      members = await connectMembers(nodes, LAYOUT, sockets);
    });

    after(async () => {
      closeClients(sockets);
      await Promise.all(nodes.map((n) => n.shutdown()));
      await redis?.stop();
    });

    const broadcastRound = (emits: Emit[]) => expectBroadcasts(nodes, members, emits);

    it("every node sees three servers", async () => {
      for (const n of nodes) assert.equal(await n.call("serverCount"), 3);
    });

    it("broadcasts with to / except / local / compress reach each intended client exactly once", async () => {
      await broadcastRound([
        { from: 0, t: {}, value: 1 },
        { from: 0, t: { to: ["red"] }, value: 2 },
        { from: 0, t: { to: ["red"], except: ["blue"] }, value: 3 },
        { from: 0, t: { local: true }, value: 4 },
        { from: 1, t: { to: ["blue", "red"] }, value: 5 },
        { from: 1, t: { except: ["red"] }, value: 6 },
        { from: 2, t: { to: ["blue"], compress: false }, value: 7 },
        { from: 2, t: { local: true, to: ["red"] }, value: 8 },
        { from: 1, t: { to: ["nobody"] }, value: 9 },
        { from: 2, t: { in: ["red"], except: ["blue"] }, value: 10 },
      ]);
    });

    it("binary payloads cross the nodes intact", async () => {
      const got = members.map((m) => nextEvent<[Uint8Array, { nested: Uint8Array }]>(m.socket, "bin"));
      await nodes[1]!.call("emitBinary", {}, "bin", [0, 1, 2, 253, 254, 255]);
      for (const [flat, { nested }] of await Promise.all(got)) {
        assert.deepEqual([...new Uint8Array(flat)], [0, 1, 2, 253, 254, 255]);
        assert.deepEqual([...new Uint8Array(nested)], [255, 254, 253, 2, 1, 0]);
      }
    });

    it("a volatile broadcast reaches idle clients on every node", async () => {
      // Volatile may drop a packet while a transport is busy: here every transport is idle.
      await broadcastRound([{ from: 1, t: { volatile: true }, value: 11 }]);
    });

    it("broadcast acks are collected from every client on every node", async () => {
      const all = await nodes[1]!.call<string[]>("emitWithAck", { timeout: 10_000 }, "ask");
      assert.deepEqual(all, ["a", "b", "c", "d", "e", "f"]);
      const red = await nodes[2]!.call<string[]>("emitWithAck", { timeout: 10_000, to: ["red"], except: ["blue"] }, "ask");
      assert.deepEqual(red, ["a", "f"]);
    });

    it("a broadcast ack that a client never answers fails with a timeout, not a hang", async () => {
      // Nobody listens to "ignored": every client stays silent.
      await assert.rejects(nodes[0]!.call("emitWithAck", { timeout: 300, to: ["blue"] }, "ignored"), /timed out/);
    });

    it("serverSideEmit reaches the other nodes, with acks from each", async () => {
      const told = [nodes[1]!.next("tell"), nodes[2]!.next("tell")];
      await nodes[0]!.call("serverSideEmit", "tell", "hello", 42);
      for (const args of await Promise.all(told)) assert.deepEqual(args, ["hello", 42]);
      const replies = await nodes[2]!.call<string[]>("serverSideEmitWithAck", "tell", "who?");
      assert.deepEqual(replies, ["n0", "n1"]);
    });

    it("serverSideEmitWithAck fails with a clear timeout when a node does not answer", async () => {
      await nodes[1]!.call("silence", true);
      try {
        // The adapter's own request timeout (3 s for pub/sub here, 5 s for the others) applies.
        await assert.rejects(nodes[0]!.call("serverSideEmitWithAck", "tell", "anyone?"), /timeout reached/);
      } finally {
        await nodes[1]!.call("silence", false);
      }
    });

    it("fetchSockets returns the sockets of every node, with rooms and data", async () => {
      const all = await nodes[0]!.call<SocketInfo[]>("fetchSockets", {});
      assert.equal(all.length, 6);
      for (const m of members) {
        const s = all.find((x) => x.id === m.socket.id);
        assert.ok(s, `socket of ${m.name} fetched`);
        assert.deepEqual(s.rooms, [m.socket.id!, ...m.rooms].sort());
        assert.deepEqual(s.data, { name: m.name, node: `n${m.node}` });
      }
      const red = await nodes[1]!.call<SocketInfo[]>("fetchSockets", { to: ["red"], except: ["blue"] });
      assert.deepEqual(red.map((s) => s.id).sort(), [byName("a").socket.id, byName("f").socket.id].sort());
    });

    it("a remote socket from fetchSockets can emit", async () => {
      const a = byName("a");
      const got = nextEvent(a.socket, "direct");
      await nodes[2]!.call("remoteEmit", a.socket.id, "direct", "from n2");
      assert.deepEqual(await got, ["from n2"]);
    });

    it("a remote socket from fetchSockets can emit with an ack", async () => {
      assert.equal(await nodes[1]!.call("remoteEmitWithAck", byName("a").socket.id, 5_000, "ask"), "a");
    });

    it("a remote socket from fetchSockets can join and leave", async () => {
      const a = byName("a");
      const joined = nodes[0]!.next("join-room", (room, id) => room === "green" && id === a.socket.id);
      await nodes[2]!.call("remoteJoin", a.socket.id, "green");
      await joined;
      const green = await nodes[1]!.call<SocketInfo[]>("fetchSockets", { to: ["green"] });
      assert.deepEqual(green.map((s) => s.id), [a.socket.id]);

      const left = nodes[0]!.next("leave-room", (room, id) => room === "green" && id === a.socket.id);
      await nodes[1]!.call("remoteLeave", a.socket.id, "green");
      await left;
      assert.deepEqual(await nodes[2]!.call("fetchSockets", { to: ["green"] }), []);
    });

    it("a remote socket from fetchSockets can disconnect its client", async () => {
      const d = byName("d");
      const gone = nextEvent(d.socket, "disconnect");
      await nodes[0]!.call("remoteDisconnect", d.socket.id, false);
      assert.deepEqual((await gone).slice(0, 1), ["io server disconnect"]);
    });

    it("socketsJoin and socketsLeave act on matching sockets of every node", async () => {
      const blue = members.filter((m) => m.rooms.includes("blue"));
      await expectRoomMove(nodes, blue, "join-room", "gold", () => nodes[0]!.call("socketsJoin", { to: ["blue"] }, ["gold"]), 2);
      await expectRoomMove(nodes, blue, "leave-room", "gold", () => nodes[1]!.call("socketsLeave", {}, ["gold"]), 0);
    });

    it("fetchSockets fails with a timeout error, not a hang, while a node is frozen; works once it is back", async () => {
      nodes[2]!.freeze();
      try {
        await assert.rejects(nodes[0]!.call("fetchSockets", {}), /timeout reached/);
      } finally {
        nodes[2]!.thaw();
      }
      const all = await nodes[0]!.call<SocketInfo[]>("fetchSockets", {});
      assert.deepEqual(all.map((s) => s.id).sort(), members.filter((m) => m.socket.connected).map((m) => m.socket.id).sort());
    });

    it("disconnectSockets disconnects matching clients on every node", async () => {
      const red = members.filter((m) => m.rooms.includes("red"));
      const reasons = red.map((m) => nextEvent(m.socket, "disconnect"));
      await nodes[2]!.call("disconnectSockets", { to: ["red"] }, true);
      for (const [reason] of await Promise.all(reasons)) assert.equal(reason, "io server disconnect");
      const left = await nodes[1]!.call<SocketInfo[]>("fetchSockets", {});
      const expected = members.filter((m) => !m.rooms.includes("red") && m.socket.connected).map((m) => m.socket.id);
      assert.deepEqual(left.map((s) => s.id).sort(), expected.sort());
    });
  });
}
