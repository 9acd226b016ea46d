// The adapters a cluster node can run with, each built exactly as its README says: the Redis
// ones on the `redis` package (node-redis), the Postgres one on a `pg` Pool. Used by
// cluster-node.ts (a child process per server node).
import { createAdapter as createPostgresAdapter } from "@socket.io/postgres-adapter";
import { createAdapter as createPubSubAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import pg from "pg";
import { createClient } from "redis";

/** The adapters on Redis (what the Redis tests loop over). */
export type AdapterKind = "redis" | "sharded" | "streams";
/** Every adapter a node can run with. */
export type NodeAdapterKind = AdapterKind | "postgres";

/** The clients are only passed on to the adapters and quit: their exact generic type does not matter. */
export interface RedisClient {
  isOpen: boolean;
  ping(): Promise<unknown>;
  quit(): Promise<unknown>;
}

export interface BuiltAdapter {
  /** What goes into `new Server(http, { adapter })`. */
  adapter: (nsp: unknown) => unknown;
  /** The Redis clients the node owns, watched for reconnects (none for Postgres). */
  clients: RedisClient[];
  /** Closes what the node owns; after io.close(), which has released what the adapter holds. */
  close(): Promise<void>;
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

/** quit() waits for the replies of commands already sent (e.g. the last persisted sessions). */
function quitting(clients: RedisClient[]): BuiltAdapter["close"] {
  return async () => {
    await Promise.allSettled(clients.map((c) => (c.isOpen ? c.quit() : undefined)));
  };
}

/** The table for the payloads a NOTIFY cannot carry (binary, or over payloadThreshold): from the README. */
export const POSTGRES_ATTACHMENTS_TABLE = `
  CREATE TABLE IF NOT EXISTS socket_io_attachments (
      id          bigserial UNIQUE,
      created_at  timestamptz DEFAULT NOW(),
      payload     bytea
  );
`;

/** The table must exist already (the test creates it with POSTGRES_ATTACHMENTS_TABLE). */
function postgresAdapter(url: string): BuiltAdapter {
  // Two connections: one the adapter keeps for LISTEN, one for everything it sends. The adapter
  // sends each NOTIFY on whichever pooled connection is free and PostgreSQL delivers them in
  // commit order, so with the default 10 a node's broadcasts overtake one another (with
  // socket.io's server as with rtio's); expectBroadcasts' end markers need them in order. (One
  // that goes through the attachments table, INSERT then NOTIFY, can still be overtaken.)
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", (err) => console.error("Postgres error", err));
  const adapter = createPostgresAdapter(pool, {
    heartbeatInterval: 1_000,
    heartbeatTimeout: 30_000,
    // By default the adapter only debug-logs a failed publish: a test would see a bare hang.
    errorHandler: (err) => console.error("Postgres adapter error", err),
  });
  return { adapter, clients: [], close: () => pool.end() };
}

export async function buildAdapter(kind: NodeAdapterKind, url: string, onReady: () => void): Promise<BuiltAdapter> {
  if (kind === "postgres") return postgresAdapter(url);
  const pub = await connected(url, onReady);
  if (kind === "streams") {
    const adapter = createStreamsAdapter(pub, { heartbeatInterval: 1_000, heartbeatTimeout: 30_000, blockTimeInMs: 1_000 });
    return { adapter, clients: [pub], close: quitting([pub]) };
  }
  const sub = await connected(url, onReady);
  const adapter =
    kind === "sharded"
      ? createShardedAdapter(pub, sub)
      : createPubSubAdapter(pub, sub, { requestsTimeout: REQUESTS_TIMEOUT });
  return { adapter, clients: [pub, sub], close: quitting([pub, sub]) };
}
