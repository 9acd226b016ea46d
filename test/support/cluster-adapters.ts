// The adapters a cluster node can run with, each built exactly as its README says, on the
// `redis` package (node-redis). Used by cluster-node.ts (a child process per server node).
import { createAdapter as createPubSubAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";

export type AdapterKind = "redis" | "sharded" | "streams";

/** The clients are only passed on to the adapters and quit: their exact generic type does not matter. */
export interface RedisClient {
  isOpen: boolean;
  ping(): Promise<unknown>;
  quit(): Promise<unknown>;
}

export interface BuiltAdapter {
  /** What goes into `new Server(http, { adapter })`. */
  adapter: (nsp: unknown) => unknown;
  /** The Redis clients the node owns: closed on shutdown, watched for reconnects. */
  clients: RedisClient[];
}

/** Short timeouts so a silent node fails a request quickly; heartbeats fast enough for tests. */
const REQUESTS_TIMEOUT = 3_000;

async function connected(url: string, onReady: () => void) {
  const client = createClient({ url, socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 500) } });
  // A restarting Redis makes clients emit errors while they reconnect: expected in the tests.
  client.on("error", () => {});
  client.on("ready", onReady);
  await client.connect();
  return client;
}

export async function buildAdapter(kind: AdapterKind, url: string, onReady: () => void): Promise<BuiltAdapter> {
  const pub = await connected(url, onReady);
  if (kind === "streams") {
    const adapter = createStreamsAdapter(pub, { heartbeatInterval: 1_000, heartbeatTimeout: 30_000, blockTimeInMs: 1_000 });
    return { adapter, clients: [pub] };
  }
  const sub = await connected(url, onReady);
  const adapter =
    kind === "sharded"
      ? createShardedAdapter(pub, sub)
      : createPubSubAdapter(pub, sub, { requestsTimeout: REQUESTS_TIMEOUT });
  return { adapter, clients: [pub, sub] };
}
