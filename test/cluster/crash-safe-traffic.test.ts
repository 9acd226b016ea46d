// What crashSafeSessions costs in Redis traffic, measured on a real redis-server with its own
// command statistics (INFO commandstats): the same workload on a node with the plain Redis
// Streams adapter and on one with crashSafeSessions around it. The bound it must keep: at most
// one extra SET per session change, none per broadcast packet.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createClient } from "redis";
import { closeClients, connectClient, startCluster, type ClientSocket, type ClusterNode } from "../support/cluster-harness.js";
import { startRedis, type RedisServer } from "../support/redis.js";

const CLIENTS = 10;
const PACKETS = 200;
/** Per client: its connection, two joins and one new `data`. */
const CHANGES_PER_CLIENT = 4;

type Counts = Record<string, number>;

async function commandCounts(url: string): Promise<Counts> {
  const client = createClient({ url });
  client.on("error", () => {});
  await client.connect();
  try {
    const info = await client.info("commandstats");
    const counts: Counts = {};
    for (const m of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) counts[m[1]!] = Number(m[2]);
    return counts;
  } finally {
    await client.quit();
  }
}

function delta(before: Counts, now: Counts, cmd: string): number {
  return (now[cmd] ?? 0) - (before[cmd] ?? 0);
}

interface Measured {
  setsPerChange: number;
  setsPerPacket: number;
  xaddsPerPacket: number;
  onLeave: Counts;
}

async function measure(crashSafe: boolean, redisServers: RedisServer[], nodesOut: ClusterNode[], sockets: ClientSocket[]): Promise<Measured> {
  const redis = await startRedis();
  redisServers.push(redis);
  // No refresh during the measurement: it is a per-interval cost, counted separately.
  const [node] = await startCluster([{ name: "n0", redis: redis.url, adapter: "streams", recovery: true, crashSafe, crashSafeRefresh: 3_600_000 }]);
  nodesOut.push(node!);

  let before = await commandCounts(redis.url);
  const clients: ClientSocket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const c = await connectClient(node!.url, { kind: "rtio" }, sockets);
    await c.timeout(10_000).emitWithAck("join", "r1");
    await c.timeout(10_000).emitWithAck("join", "r2");
    await c.timeout(10_000).emitWithAck("set-data", { level: i });
    clients.push(c);
  }
  await node!.call("redisBarrier");
  let now = await commandCounts(redis.url);
  const setsPerChange = delta(before, now, "set") / (CLIENTS * CHANGES_PER_CLIENT);

  before = now;
  const received = clients.map((c) => new Promise<void>((resolve) => {
    let n = 0;
    c.on("m", () => ++n === PACKETS && resolve());
  }));
  for (let i = 0; i < PACKETS; i++) await node!.call("emit", { to: ["r1"] }, "m", i);
  await Promise.all(received);
  await node!.call("redisBarrier");
  now = await commandCounts(redis.url);
  const setsPerPacket = delta(before, now, "set") / PACKETS;
  const xaddsPerPacket = delta(before, now, "xadd") / PACKETS;

  before = now;
  const gone = clients.map(() => node!.next("disconnect"));
  closeClients(clients);
  await Promise.all(gone);
  await node!.call("redisBarrier");
  now = await commandCounts(redis.url);
  const onLeave: Counts = {};
  for (const cmd of ["set", "multi", "get", "del", "exec", "xrange"]) onLeave[cmd] = delta(before, now, cmd);
  return { setsPerChange, setsPerPacket, xaddsPerPacket, onLeave };
}

describe("crashSafeSessions: Redis traffic", { timeout: 180_000 }, () => {
  const redisServers: RedisServer[] = [];
  const nodes: ClusterNode[] = [];
  const sockets: ClientSocket[] = [];

  after(async () => {
    closeClients(sockets);
    await Promise.all(nodes.map((n) => n.shutdown()));
    await Promise.all(redisServers.map((r) => r.stop()));
  });

  it("adds at most one SET per session change and nothing per broadcast packet", async (t) => {
    const plain = await measure(false, redisServers, nodes, sockets);
    const safe = await measure(true, redisServers, nodes, sockets);
    t.diagnostic(`plain streams adapter: ${JSON.stringify(plain)}`);
    t.diagnostic(`with crashSafeSessions: ${JSON.stringify(safe)}`);

    assert.equal(plain.setsPerChange, 0, "socket.io's way: nothing stored while connected");
    assert.ok(safe.setsPerChange > 0, "sessions are stored as they change");
    assert.ok(safe.setsPerChange <= 1, `at most one SET per change (got ${safe.setsPerChange})`);
    assert.equal(safe.setsPerPacket, 0, "no session write per packet");
    assert.equal(safe.xaddsPerPacket, plain.xaddsPerPacket, "the packets themselves cost the same");
    // A client that leaves for good has its stored session dropped: the adapter's restoreSession
    // (MULTI GET DEL EXEC, then XRANGE) consumes it, once per client.
    assert.equal(safe.onLeave.del, CLIENTS);
    assert.equal(plain.onLeave.del, 0);
    const extraOnLeave = Object.keys(safe.onLeave).reduce((n, k) => n + safe.onLeave[k]! - plain.onLeave[k]!, 0) / CLIENTS;
    t.diagnostic(`extra Redis commands per session change: ${safe.setsPerChange - plain.setsPerChange}; per packet: ${safe.setsPerPacket}; per client leaving for good: ${extraOnLeave}`);
  });
});
