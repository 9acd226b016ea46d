// Keeps the session of every connected socket of one namespace in the adapter's session
// store (for the Redis Streams adapter: a Redis key), updated as it changes. socket.io stores a
// session only when its socket closes, so a node that dies (SIGKILL, power loss) takes its
// clients' sessions with it; with the sessions already stored, those clients recover on any
// other node, through the adapter's own, unchanged `restoreSession`.
import { RECOVERABLE_DISCONNECT_REASONS } from "../server/constants.js";
import type { DisconnectReason } from "../server/constants.js";

/** What the keeper needs of an adapter: socket.io-adapter's session methods and room events. */
export interface SessionStoringAdapter {
  on(event: "join-room" | "leave-room", listener: (room: string, id: string) => void): unknown;
  persistSession(session: { sid: string; pid: string; rooms: string[]; data: unknown }): unknown;
  restoreSession(pid: string, offset: string): unknown;
  close(): unknown;
}

export interface KeptSocket {
  readonly id: string;
  readonly rooms: Set<string>;
  data: unknown;
  on(event: "disconnect", listener: (reason: DisconnectReason) => void): unknown;
}

export interface KeptNamespace {
  readonly sockets: Map<string, KeptSocket>;
  on(event: "connection", listener: (socket: KeptSocket) => void): unknown;
}

export interface SessionKeeperStats {
  /** Sessions stored because a socket connected, joined, left or got new `data`. */
  changeWrites: number;
  /** Sessions stored again so their keys outlive a long connection. */
  refreshWrites: number;
  /** Sessions dropped because their socket left for good (a non-recoverable reason). */
  forgets: number;
}

export interface KeeperTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setImmediate(fn: () => void): unknown;
}

const nodeTimers: KeeperTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
  setImmediate: (fn) => setImmediate(fn),
};

/**
 * The private session id of a socket. rtio's Socket (like socket.io's) keeps it in a private
 * `pid` field, with no public getter: read it here, in one place.
 */
function privateSessionId(socket: KeptSocket): string | undefined {
  const pid: unknown = Reflect.get(socket, "pid");
  return typeof pid === "string" ? pid : undefined;
}

export class SessionKeeper {
  readonly stats: SessionKeeperStats = { changeWrites: 0, refreshWrites: 0, forgets: 0 };
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  private readonly refresher: unknown;

  constructor(
    private readonly nsp: KeptNamespace,
    private readonly adapter: SessionStoringAdapter,
    refreshInterval: number,
    private readonly timers: KeeperTimers = nodeTimers,
  ) {
    adapter.on("join-room", (_room, id) => this.changed(id));
    adapter.on("leave-room", (_room, id) => this.changed(id));
    nsp.on("connection", (socket) => this.track(socket));
    this.refresher = timers.setInterval(() => this.refresh(), refreshInterval);
  }

  /** Stores `socket`'s session now, e.g. after changing a nested field of `socket.data`. */
  save(socket: KeptSocket): void {
    this.changed(socket.id);
  }

  cleanup(): void {
    this.timers.clearInterval(this.refresher);
    this.dirty.clear();
  }

  private track(socket: KeptSocket): void {
    // A recovered session was consumed from the store: store it again at once.
    this.changed(socket.id);
    watchData(socket, () => this.changed(socket.id));
    socket.on("disconnect", (reason) => this.onDisconnect(socket, reason));
  }

  private onDisconnect(socket: KeptSocket, reason: DisconnectReason): void {
    this.dirty.delete(socket.id);
    // On a recoverable reason the server stores the final session itself.
    if (RECOVERABLE_DISCONNECT_REASONS.has(reason)) return;
    const pid = privateSessionId(socket);
    if (pid === undefined) return;
    this.stats.forgets++;
    // Restoring a session consumes it: the one way the adapter contract offers to drop one.
    // "0-0" is a well-formed offset that no stream entry has, so nothing else happens.
    Promise.resolve(this.adapter.restoreSession(pid, "0-0")).catch(() => {});
  }

  private changed(id: string): void {
    this.dirty.add(id);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One write per socket per turn of the event loop, however many rooms it joined.
    this.timers.setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const id of this.dirty) {
      const socket = this.nsp.sockets.get(id);
      if (socket && this.persist(socket)) this.stats.changeWrites++;
    }
    this.dirty.clear();
  }

  private refresh(): void {
    for (const socket of this.nsp.sockets.values()) {
      if (this.persist(socket)) this.stats.refreshWrites++;
    }
  }

  private persist(socket: KeptSocket): boolean {
    const pid = privateSessionId(socket);
    if (pid === undefined) return false;
    this.adapter.persistSession({ sid: socket.id, pid, rooms: [...socket.rooms], data: socket.data });
    return true;
  }
}

/**
 * Calls `onChange` whenever `socket.data` is assigned. Changes inside the object are not
 * seen: call `save(socket)` after those.
 */
function watchData(socket: KeptSocket, onChange: () => void): void {
  let data = socket.data;
  Object.defineProperty(socket, "data", {
    configurable: true,
    enumerable: true,
    get: () => data,
    set: (value: unknown) => {
      data = value;
      onChange();
    },
  });
}
