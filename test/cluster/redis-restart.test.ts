// Redis goes away and comes back (a restart, a failover): the adapters' clients reconnect on
// their own, and the cluster works again without restarting any server node.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AdapterKind } from "../support/cluster-adapters.js";
import { expectBroadcasts, connectMembers, type Member } from "../support/cluster-broadcast.js";
import { closeClients, startCluster, type ClientSocket, type ClusterNode, type SocketInfo } from "../support/cluster-harness.js";
import { startRedis, type RedisServer } from "../support/redis.js";

const LAYOUT: Array<Pick<Member, "name" | "node" | "kind" | "rooms">> = [
  { name: "a", node: 0, kind: "rtio", rooms: ["red"] },
  { name: "b", node: 1, kind: "official", rooms: ["red"] },
  { name: "c", node: 2, kind: "rtio", rooms: [] },
  { name: "d", node: 2, kind: "official", rooms: ["red"] },
];

/** The Redis clients each node opens itself (the adapters duplicate more of their own). */
const OWN_CLIENTS: Record<AdapterKind, number> = { redis: 2, sharded: 2, streams: 1 };

for (const adapter of ["redis", "streams"] as AdapterKind[]) {
  describe(`3 rtio nodes, ${adapter} adapter, Redis restarted`, { timeout: 180_000 }, () => {
    let redis: RedisServer;
    let nodes: ClusterNode[] = [];
    const sockets: ClientSocket[] = [];
    let members: Member[] = [];

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

    it("works before the restart", async () => {
      await expectBroadcasts(nodes, members, [{ from: 0, t: { to: ["red"] }, value: 1 }]);
    });

    it("after the restart, broadcasts, acks, fetchSockets and serverSideEmit work again", async () => {
      const reconnected = nodes.map((n) => {
        let ready = 0;
        return n.next("redis-ready", () => ++ready === OWN_CLIENTS[adapter], 60_000);
      });
      await redis.restart();
      await Promise.all(reconnected);
      // Subscriptions come back with the connections: wait until every node counts all three.
      await Promise.all(nodes.map((n) => n.call("awaitServers", nodes.length)));

      await expectBroadcasts(nodes, members, [
        { from: 0, t: { to: ["red"] }, value: 2 },
        { from: 1, t: {}, value: 3 },
        { from: 2, t: { except: ["red"] }, value: 4 },
      ]);
      assert.deepEqual(await nodes[1]!.call("emitWithAck", { timeout: 10_000 }, "ask"), ["a", "b", "c", "d"]);
      const red = await nodes[2]!.call<SocketInfo[]>("fetchSockets", { to: ["red"] });
      assert.deepEqual(red.map((s) => (s.data as { name: string }).name).sort(), ["a", "b", "d"]);
      assert.deepEqual(await nodes[0]!.call("serverSideEmitWithAck", "tell"), ["n1", "n2"]);
    });
  });
}
