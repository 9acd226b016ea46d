// @socket.io/postgres-adapter on a real PostgreSQL server: rtio and socket.io 4.8 nodes on one
// database serve each other's clients, as mixed-cluster.test.ts checks on Redis. The adapter
// sends through LISTEN/NOTIFY, and puts what a NOTIFY cannot carry (binary, or a payload over
// its payloadThreshold of 8,000 bytes) in the attachments table: both paths are checked.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { POSTGRES_ATTACHMENTS_TABLE } from "../support/cluster-adapters.js";
import { connectMembers, expectBroadcasts, type Member, MIXED_BROADCASTS, MIXED_IMPLS, MIXED_LAYOUT, expectRoomMove } from "../support/cluster-broadcast.js";
import { closeClients, nextEvent, startCluster, type ClientSocket, type ClusterNode, type SocketInfo } from "../support/cluster-harness.js";
import { startPostgres, type PostgresServer } from "../support/postgres.js";

/** About 40 kB of JSON, non-ASCII included: far over the 8,000 bytes a NOTIFY may carry. */
const BIG = { items: Array.from({ length: 1_500 }, (_, i) => ({ i, text: `item ${i} – ✓` })) };

describe("mixed cluster (rtio, socket.io, rtio, socket.io), postgres adapter", { timeout: 180_000 }, () => {
  let postgres: PostgresServer | undefined;
  /** The test's own connection. A Client, not a Pool: its end() resolves once the socket is closed. */
  let db: pg.Client | undefined;
  let nodes: ClusterNode[] = [];
  const sockets: ClientSocket[] = [];
  let members: Member[] = [];
  const byName = (name: string) => members.find((m) => m.name === name)!;

  /** The newest row of the attachments table (ids only grow; the adapter's cleanup only drops old rows). */
  async function lastAttachment(): Promise<number> {
    const { rows } = await db!.query<{ id: string }>("SELECT coalesce(max(id), 0) AS id FROM socket_io_attachments");
    return Number(rows[0]!.id);
  }

  async function attachmentsSince(id: number): Promise<number> {
    const { rows } = await db!.query<{ n: string }>("SELECT count(*) AS n FROM socket_io_attachments WHERE id > $1", [id]);
    return Number(rows[0]!.n);
  }

  before(async () => {
    postgres = await startPostgres();
    db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    await db.query(POSTGRES_ATTACHMENTS_TABLE);
    nodes = await startCluster(MIXED_IMPLS.map((impl, i) => ({ name: `${impl}-${i}`, impl, postgres: postgres!.url, adapter: "postgres" as const })));
    members = await connectMembers(nodes, MIXED_LAYOUT, sockets);
  });

  after(async () => {
    closeClients(sockets);
    await Promise.all(nodes.map((n) => n.shutdown()));
    await db?.end();
    await postgres?.stop();
  });

  it("broadcasts from either kind of node reach the clients of both, exactly once", async () => {
    await expectBroadcasts(nodes, members, [
      ...MIXED_BROADCASTS,
      { from: 0, t: { local: true, to: ["red"] }, value: 8 },
      { from: 2, t: { in: ["red"], except: ["blue"] }, value: 9 },
      { from: 1, t: { to: ["nobody"] }, value: 10 },
    ]);
  });

  it("a payload over payloadThreshold goes through the attachments table and arrives intact", async () => {
    for (const from of [0, 1]) {
      const since = await lastAttachment();
      const got = members.map((m) => nextEvent(m.socket, "big"));
      await nodes[from]!.call("emit", {}, "big", BIG);
      for (const args of await Promise.all(got)) assert.deepEqual(args, [BIG]);
      assert.equal(await attachmentsSince(since), 1, `one attachment for the broadcast from ${nodes[from]!.name}`);
    }
  });

  it("binary payloads go through the attachments table and cross the nodes intact", async () => {
    for (const from of [1, 0]) {
      const since = await lastAttachment();
      const got = members.map((m) => nextEvent<[Uint8Array, { nested: Uint8Array }]>(m.socket, "bin"));
      await nodes[from]!.call("emitBinary", {}, "bin", [0, 1, 2, 253, 254, 255]);
      for (const [flat, { nested }] of await Promise.all(got)) {
        assert.deepEqual([...new Uint8Array(flat)], [0, 1, 2, 253, 254, 255]);
        assert.deepEqual([...new Uint8Array(nested)], [255, 254, 253, 2, 1, 0]);
      }
      assert.equal(await attachmentsSince(since), 1, `one attachment for the broadcast from ${nodes[from]!.name}`);
    }
  });

  it("broadcast acks are collected from the clients of every node", async () => {
    for (const from of [0, 1]) {
      assert.deepEqual(await nodes[from]!.call("emitWithAck", { timeout: 10_000 }, "ask"), ["a", "b", "c", "d", "e", "f"]);
      assert.deepEqual(await nodes[from]!.call("emitWithAck", { timeout: 10_000, to: ["red"], except: ["blue"] }, "ask"), ["a", "c"]);
    }
  });

  it("fetchSockets returns the sockets of every node, with rooms and data", async () => {
    for (const from of [0, 1]) {
      const all = await nodes[from]!.call<SocketInfo[]>("fetchSockets", {});
      assert.equal(all.length, members.length);
      for (const m of members) {
        const s = all.find((x) => x.id === m.socket.id);
        assert.ok(s, `socket of ${m.name} fetched from ${nodes[from]!.name}`);
        assert.deepEqual(s.rooms, [m.socket.id!, ...m.rooms].sort());
        assert.deepEqual(s.data, { name: m.name, node: nodes[m.node]!.name });
      }
      const red = await nodes[from]!.call<SocketInfo[]>("fetchSockets", { to: ["red"] });
      assert.deepEqual(red.map((s) => (s.data as { name: string }).name).sort(), ["a", "c", "e"]);
    }
  });

  it("a remote socket from fetchSockets can emit, with and without an ack", async () => {
    const a = byName("a");
    const got = nextEvent(a.socket, "direct");
    await nodes[1]!.call("remoteEmit", a.socket.id, "direct", "from socket.io-1");
    assert.deepEqual(await got, ["from socket.io-1"]);
    assert.equal(await nodes[0]!.call("remoteEmitWithAck", byName("d").socket.id, 5_000, "ask"), "d");
  });

  it("serverSideEmit reaches the other nodes, with an ack from each", async () => {
    const told = [0, 2, 3].map((i) => nodes[i]!.next("tell"));
    await nodes[1]!.call("serverSideEmit", "tell", "hello", 42);
    for (const args of await Promise.all(told)) assert.deepEqual(args, ["hello", 42]);
    assert.deepEqual(await nodes[0]!.call("serverSideEmitWithAck", "tell"), ["rtio-2", "socket.io-1", "socket.io-3"]);
    assert.deepEqual(await nodes[1]!.call("serverSideEmitWithAck", "tell"), ["rtio-0", "rtio-2", "socket.io-3"]);
  });

  it("socketsJoin and socketsLeave move the matching sockets on every node", async () => {
    const blue = members.filter((m) => m.rooms.includes("blue"));
    await expectRoomMove(nodes, blue, "join-room", "gold", () => nodes[1]!.call("socketsJoin", { to: ["blue"] }, ["gold"]), 0);
    await expectRoomMove(nodes, blue, "leave-room", "gold", () => nodes[2]!.call("socketsLeave", { to: ["gold"] }, ["gold"]), 3);
  });

  // Last: it disconnects clients that the tests above use.
  it("disconnectSockets disconnects the matching sockets on every node, and only those", async () => {
    const blue = members.filter((m) => m.rooms.includes("blue"));
    const onClients = blue.map((m) => nextEvent<[string]>(m.socket, "disconnect"));
    const onNodes = blue.map((m) => {
      const id = m.socket.id; // read now: a client forgets its id once disconnected
      return nodes[m.node]!.next("disconnect", (gone) => gone === id);
    });
    await nodes[0]!.call("disconnectSockets", { to: ["blue"] }, false);
    for (const [reason] of await Promise.all(onClients)) assert.equal(reason, "io server disconnect");
    await Promise.all(onNodes);
    const left = await nodes[3]!.call<SocketInfo[]>("fetchSockets", {});
    assert.deepEqual(left.map((s) => (s.data as { name: string }).name).sort(), ["a", "b", "c"]);
  });
});
