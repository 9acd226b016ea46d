// Connection state recovery across nodes, through the Redis Streams adapter: the node of some
// clients goes away in the middle of a stream of broadcasts; the clients reconnect through the
// load balancer to another node and get what they missed, with their id, rooms and data.
// - a graceful stop (SIGTERM: io.close()) is what socket.io recovers from;
// - a crash (SIGKILL) is not, with socket.io: its sessions are stored only as sockets close;
// - rtio's crashSafeSessions (src/cluster) stores them as they change, so a crash recovers too.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startBalancer, type Balancer } from "../support/cluster-balancer.js";
import {
  closeClients,
  connectClient,
  startCluster,
  withSafetyNet,
  type ClientKind,
  type ClientSocket,
  type ClusterNode,
} from "../support/cluster-harness.js";
import { startRedis, type RedisServer } from "../support/redis.js";

interface Watched {
  name: string;
  kind: ClientKind;
  rooms: string[];
  socket: ClientSocket;
  ticks: number[];
  reds: number[];
}

const LAYOUT: Array<Pick<Watched, "name" | "kind" | "rooms">> = [
  { name: "a", kind: "rtio", rooms: ["red"] },
  { name: "b", kind: "official", rooms: ["red"] },
  { name: "c", kind: "rtio", rooms: [] },
  { name: "d", kind: "official", rooms: [] },
];
const TICKS = 60;
const KILL_AT = 20;

interface Scenario {
  title: string;
  stop: "shutdown" | "SIGKILL";
  crashSafe: boolean;
  recovers: boolean;
}

const SCENARIOS: Scenario[] = [
  { title: "a node stopped gracefully: its clients recover on the others", stop: "shutdown", crashSafe: false, recovers: true },
  { title: "a crashed node (SIGKILL) without crash-safe sessions: its clients start new sessions, as with socket.io", stop: "SIGKILL", crashSafe: false, recovers: false },
  { title: "a crashed node (SIGKILL) with crashSafeSessions: its clients recover on the others", stop: "SIGKILL", crashSafe: true, recovers: true },
];

for (const sc of SCENARIOS) {
  describe(`streams adapter, recovery across nodes: ${sc.title}`, { timeout: 180_000 }, () => {
    let redis: RedisServer;
    let nodes: ClusterNode[] = [];
    let balancer: Balancer;
    const sockets: ClientSocket[] = [];

    before(async () => {
      redis = await startRedis();
      nodes = await startCluster(
        [0, 1, 2].map((i) => ({ name: `n${i}`, redis: redis.url, adapter: "streams" as const, recovery: true, crashSafe: sc.crashSafe })),
      );
      // Everyone lands on n0 first; once n0 is gone, reconnections alternate over n1 and n2.
      let turn = 0;
      balancer = await startBalancer(() => nodes[0]!.port);
      balancer.pick = () => (nodes[0]!.child.exitCode === null && nodes[0]!.child.signalCode === null ? nodes[0]!.port : nodes[1 + (turn++ % 2)]!.port);
    });

    after(async () => {
      closeClients(sockets);
      await balancer?.close();
      await Promise.all(nodes.map((n) => n.shutdown()));
      await redis?.stop();
    });

    it(sc.recovers ? "the clients get every broadcast exactly once, with their id, rooms and data" : "the clients reconnect with new sessions", async () => {
      const watched: Watched[] = await Promise.all(
        LAYOUT.map(async (l) => {
          const socket = await connectClient(balancer.url, { kind: l.kind, rooms: l.rooms, data: { name: l.name }, reconnection: true }, sockets);
          const w: Watched = { ...l, socket, ticks: [], reds: [] };
          socket.on("tick", (i: number) => w.ticks.push(i));
          socket.on("red", (i: number) => w.reds.push(i));
          return w;
        }),
      );
      const firstIds = watched.map((w) => w.socket.id);
      // Session state that changes after the connection: a room and a field of data.
      for (const w of watched) {
        await w.socket.timeout(10_000).emitWithAck("join", `own-${w.name}`);
        await w.socket.timeout(10_000).emitWithAck("set-data", { score: w.name.charCodeAt(0) });
      }
      const reconnected = watched.map((w) =>
        Promise.race(
          [nodes[1]!, nodes[2]!].map((n) => n.next<[{ id: string; recovered: boolean; rooms: string[]; data: unknown }]>("connection", (c) => c.data !== undefined && (c.data as { name?: string }).name === w.name)),
        ),
      );

      // Every client has seen a broadcast (and so holds an offset) before its node goes.
      const seenFirst = watched.map((w) => withSafetyNet(`${w.name}: first tick`, 20_000, (resolve) => {
        const on = () => resolve(undefined);
        w.socket.once("tick", on);
        return () => w.socket.off("tick", on);
      }));
      let release = () => {};
      for (let i = 1; i <= TICKS; i++) {
        if (i === KILL_AT) {
          await Promise.all(seenFirst);
          // The clients stay away until the stream is over, so they do miss broadcasts.
          release = balancer.hold();
          const gone = watched.map((w) => withSafetyNet(`${w.name}: disconnect`, 20_000, (resolve) => {
            const on = () => resolve(undefined);
            w.socket.once("disconnect", on);
            return () => w.socket.off("disconnect", on);
          }));
          await (sc.stop === "shutdown" ? nodes[0]!.shutdown() : nodes[0]!.kill("SIGKILL"));
          await Promise.all(gone);
        }
        await nodes[1 + (i % 2)]!.call("emit", {}, "tick", i);
        if (i % 3 === 0) await nodes[2]!.call("emit", { to: ["red"] }, "red", i);
      }
      const missedTicks = watched.map((w) => TICKS - w.ticks.length);
      for (const m of missedTicks) assert.ok(m >= TICKS - KILL_AT + 1, "the clients were away for the end of the stream");
      release();
      const back = (await Promise.all(reconnected)).map(([c]) => c);
      const expectedReds = Array.from({ length: TICKS }, (_, k) => k + 1).filter((i) => i % 3 === 0);

      if (!sc.recovers) {
        back.forEach((c, k) => {
          assert.equal(c.recovered, false);
          assert.notEqual(c.id, firstIds[k]);
        });
        return;
      }
      // Everything sent after the reconnection arrives too: a last marker from each live node.
      const done = watched.map((w) => withSafetyNet(`${w.name}: both markers`, 20_000, (resolve) => {
        let n = 0;
        const on = () => ++n === 2 && resolve(undefined);
        w.socket.on("end", on);
        return () => w.socket.off("end", on);
      }));
      await Promise.all([nodes[1]!.call("emit", {}, "end"), nodes[2]!.call("emit", {}, "end")]);
      await Promise.all(done);

      watched.forEach((w, k) => {
        const c = back[k]!;
        assert.equal(c.recovered, true, `${w.name} recovered`);
        assert.equal(c.id, firstIds[k], `${w.name} keeps its id`);
        assert.deepEqual([...c.rooms].sort(), [firstIds[k]!, `own-${w.name}`, ...w.rooms].sort(), `${w.name}'s rooms`);
        assert.deepEqual(c.data, { name: w.name, node: "n0", score: w.name.charCodeAt(0) }, `${w.name}'s data`);
        assert.deepEqual([...w.ticks].sort((x, y) => x - y), Array.from({ length: TICKS }, (_, j) => j + 1), `${w.name}: every tick once`);
        assert.deepEqual([...w.reds].sort((x, y) => x - y), w.rooms.includes("red") ? expectedReds : [], `${w.name}: red only if in red`);
      });
    });
  });
}
