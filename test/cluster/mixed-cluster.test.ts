// A cluster that migrates one node at a time: socket.io 4.8 nodes and rtio nodes on the same
// Redis, through the same adapter, serve each other's clients; and @socket.io/redis-emitter,
// from a process with no server at all, reaches the clients of both.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";
import type { AdapterKind } from "../support/cluster-adapters.js";
import { expectBroadcasts, connectMembers, type Member, MIXED_BROADCASTS, MIXED_IMPLS, MIXED_LAYOUT, expectRoomMove } from "../support/cluster-broadcast.js";
import { closeClients, startCluster, type ClientSocket, type ClusterNode, type SocketInfo } from "../support/cluster-harness.js";
import { startRedis, type RedisServer } from "../support/redis.js";

for (const adapter of ["redis", "streams"] as AdapterKind[]) {
  describe(`mixed cluster (rtio, socket.io, rtio, socket.io), ${adapter} adapter`, { timeout: 180_000 }, () => {
    let redis: RedisServer;
    let nodes: ClusterNode[] = [];
    const sockets: ClientSocket[] = [];
    let members: Member[] = [];

    before(async () => {
      redis = await startRedis();
      nodes = await startCluster(MIXED_IMPLS.map((impl, i) => ({ name: `${impl}-${i}`, impl, redis: redis.url, adapter })));
      members = await connectMembers(nodes, MIXED_LAYOUT, sockets);
    });

    after(async () => {
      closeClients(sockets);
      await Promise.all(nodes.map((n) => n.shutdown()));
      await redis?.stop();
    });

    it("broadcasts from either kind of node reach the clients of both, exactly once", async () => {
      await expectBroadcasts(nodes, members, MIXED_BROADCASTS);
    });

    it("broadcast acks, fetchSockets and serverSideEmit span both kinds of node", async () => {
      for (const from of [0, 1]) {
        assert.deepEqual(await nodes[from]!.call("emitWithAck", { timeout: 10_000 }, "ask"), ["a", "b", "c", "d", "e", "f"]);
        const fetched = await nodes[from]!.call<SocketInfo[]>("fetchSockets", { to: ["red"] });
        assert.deepEqual(fetched.map((s) => (s.data as { name: string }).name).sort(), ["a", "c", "e"]);
      }
      assert.deepEqual(await nodes[0]!.call("serverSideEmitWithAck", "tell"), ["rtio-2", "socket.io-1", "socket.io-3"]);
      assert.deepEqual(await nodes[1]!.call("serverSideEmitWithAck", "tell"), ["rtio-0", "rtio-2", "socket.io-3"]);
    });

    if (adapter !== "redis") return;

    it("@socket.io/redis-emitter reaches the clients of rtio and socket.io nodes, and moves them between rooms", async () => {
      const client = createClient({ url: redis.url });
      client.on("error", () => {});
      await client.connect();
      try {
        const emitter = new Emitter(client);
        await expectBroadcasts(
          nodes,
          members,
          [
            { from: "outside", t: {}, value: 11 },
            { from: "outside", t: { to: ["red"] }, value: 12 },
            { from: "outside", t: { to: ["blue"], except: ["red"] }, value: 13 },
          ],
          async (e) => {
            let op = emitter.of("/");
            if (e.t.to) op = op.to(e.t.to) as never;
            if (e.t.except) op = op.except(e.t.except) as never;
            op.emit("m", e.value);
            // emit() does not wait for its PUBLISH, and the nodes' end markers go out on other
            // connections: a reply on this one means Redis has already fanned the emit out.
            await client.ping();
          },
        );
        // Requests too: the emitter asks every node to move its matching sockets.
        const blue = members.filter((m) => m.rooms.includes("blue"));
        await expectRoomMove(nodes, blue, "join-room", "gold", () => emitter.in("blue").socketsJoin("gold"), 1);
        const told = nodes.map((n) => n.next("tell"));
        emitter.serverSideEmit("tell", "from the emitter");
        for (const args of await Promise.all(told)) assert.deepEqual(args, ["from the emitter"]);
      } finally {
        await client.quit();
      }
    });
  });
}
