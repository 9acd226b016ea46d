// rtio/cluster helpers: what rtio adds on top of the socket.io adapters for multi-node setups.
export { crashSafeSessions, type CrashSafeOptions, type CrashSafeAdapterFactory } from "./crash-safe-sessions.js";
export type { SessionKeeperStats, KeeperTimers } from "./session-keeper.js";
