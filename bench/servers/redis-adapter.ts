/** @socket.io/redis-adapter over node-redis, for the cluster scenario's server nodes. */
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { AdapterFactory } from "./sio-broadcaster.js";

/** `key` keeps the Redis channels of different implementations apart when they share a redis-server. */
export async function redisAdapter(port: number, key: string): Promise<{ adapter: AdapterFactory; close: () => Promise<void> }> {
  const pub = createClient({ url: `redis://127.0.0.1:${port}` });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub, { key }) as AdapterFactory,
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
