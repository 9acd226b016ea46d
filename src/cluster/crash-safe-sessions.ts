// The adapter factory wrapper that makes connection state recovery survive a crashed node.
import { SessionKeeper, type KeeperTimers, type KeptNamespace, type SessionKeeperStats, type SessionStoringAdapter } from "./session-keeper.js";

export interface CrashSafeOptions {
  /**
   * How often the session of every connected socket is stored again, so that its key (which
   * the adapter stores with a lifetime of `maxDisconnectionDuration`) never lapses while the
   * socket is still connected.
   * @default half of `connectionStateRecovery.maxDisconnectionDuration` (one minute)
   */
  refreshInterval?: number;
  /** Injected timers, for tests. */
  timers?: KeeperTimers;
}

interface RecoveringNamespace extends KeptNamespace {
  readonly server: { readonly opts: { connectionStateRecovery?: { maxDisconnectionDuration?: number } } };
}

export interface CrashSafeAdapterFactory<A> {
  (nsp: never): A;
  /** Writes to the session store so far, over every namespace. */
  stats(): SessionKeeperStats;
  /** Stores the session of `socket` now: after changing a field inside `socket.data`. */
  save(socket: { id: string; nsp: { name: string } }): void;
}

const DEFAULT_MAX_DISCONNECTION_DURATION = 2 * 60 * 1000;

/**
 * Wraps an adapter factory whose adapter stores sessions in a shared store (the Redis Streams
 * adapter's `createAdapter(redisClient)`), so that every session is stored as it changes
 * rather than only when its socket closes.
 * @example
 * const io = new Server(httpServer, {
 *   adapter: crashSafeSessions(createAdapter(redisClient)),
 *   connectionStateRecovery: {},
 * });
 */
export function crashSafeSessions<A extends SessionStoringAdapter>(
  createAdapter: (nsp: never) => A,
  opts: CrashSafeOptions = {},
): CrashSafeAdapterFactory<A> {
  const keepers = new Map<string, SessionKeeper>();
  const factory = ((nsp: RecoveringNamespace & { name: string }) => {
    const adapter = createAdapter(nsp as never);
    const maxDuration = nsp.server.opts.connectionStateRecovery?.maxDisconnectionDuration ?? DEFAULT_MAX_DISCONNECTION_DURATION;
    const keeper = new SessionKeeper(nsp, adapter, opts.refreshInterval ?? maxDuration / 2, opts.timers);
    keepers.set(nsp.name, keeper);
    const close = adapter.close.bind(adapter);
    adapter.close = () => {
      keeper.cleanup();
      keepers.delete(nsp.name);
      return close();
    };
    return adapter;
  }) as unknown as CrashSafeAdapterFactory<A>;
  factory.stats = () => {
    const total: SessionKeeperStats = { changeWrites: 0, refreshWrites: 0, forgets: 0 };
    for (const k of keepers.values()) {
      total.changeWrites += k.stats.changeWrites;
      total.refreshWrites += k.stats.refreshWrites;
      total.forgets += k.stats.forgets;
    }
    return total;
  };
  factory.save = (socket) => keepers.get(socket.nsp.name)?.save(socket as never);
  return factory;
}
