import { randomBytes } from "node:crypto";
import { PacketType, type Packet } from "../parser/index.js";
import { Adapter, type BroadcastOptions, type PrivateSessionId, type Room, type Session, type SessionToPersist } from "./adapter.js";
import { DEFAULTS } from "./constants.js";
import type { Namespace } from "./namespace.js";

interface KeptSession extends SessionToPersist {
  disconnectedAt: number;
}

interface KeptPacket {
  offset: string;
  opts: BroadcastOptions;
  data: unknown[];
  emittedAt: number;
}

const SWEEP_INTERVAL = 60_000;

/**
 * The default adapter when `connectionStateRecovery` is on: it keeps the sessions of
 * sockets that dropped, and a log of the events it broadcast (each with an offset appended
 * to its arguments), so a client back within `maxDisconnectionDuration` gets its id, rooms,
 * data and the events it missed. Both are bounded (`maxRecoveryPackets`,
 * `maxRecoverySessions`): a client whose offset or session fell off simply gets a new session.
 */
export class SessionAwareAdapter extends Adapter {
  private readonly maxDuration: number;
  private readonly maxPackets: number;
  private readonly maxSessions: number;
  private readonly sessions = new Map<PrivateSessionId, KeptSession>();
  private packets: KeptPacket[] = [];
  private readonly offsetPrefix = randomBytes(4).toString("hex") + "-";
  private counter = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(nsp: Namespace<any, any, any, any>) {
    super(nsp);
    const recovery = nsp.server._opts.connectionStateRecovery;
    this.maxDuration = recovery?.maxDisconnectionDuration ?? DEFAULTS.maxDisconnectionDuration;
    this.maxPackets = nsp.server._maxRecoveryPackets ?? DEFAULTS.maxRecoveryPackets;
    this.maxSessions = nsp.server._maxRecoverySessions ?? DEFAULTS.maxRecoverySessions;
    this.sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL);
    // Housekeeping only: it must never keep a process alive.
    this.sweeper.unref();
  }

  override close(): void {
    clearInterval(this.sweeper);
    this.sessions.clear();
    this.packets = [];
  }

  private sweep(now: number): void {
    const threshold = now - this.maxDuration;
    for (const [pid, session] of this.sessions) {
      if (session.disconnectedAt < threshold) this.sessions.delete(pid);
    }
    const firstKept = this.packets.findIndex((p) => p.emittedAt >= threshold);
    this.packets = firstKept === -1 ? [] : this.packets.slice(firstKept);
  }

  override persistSession(session: SessionToPersist): void {
    this.sessions.delete(session.pid);
    this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
    // A Map iterates in insertion order: the first key is the oldest session.
    if (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
  }

  override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session | null> | null {
    const session = this.sessions.get(pid);
    if (!session) return null;
    // One use only: a second client presenting the same pid gets a new session.
    this.sessions.delete(pid);
    if (session.disconnectedAt + this.maxDuration < Date.now()) return null;
    const at = this.packets.findIndex((p) => p.offset === offset);
    if (at === -1) return null;
    const missedPackets: unknown[][] = [];
    for (let i = at + 1; i < this.packets.length; i++) {
      const packet = this.packets[i]!;
      if (reaches(session.rooms, packet.opts)) missedPackets.push(packet.data);
    }
    const { disconnectedAt: _, ...rest } = session;
    return Promise.resolve({ ...rest, missedPackets });
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const keep = packet.type === PacketType.EVENT && packet.id === undefined && opts.flags?.volatile === undefined;
    if (keep) {
      const offset = this.offsetPrefix + (this.counter++).toString(36);
      // The offset rides as the last argument: the client remembers the last one it saw.
      const data = [...(packet.data as unknown[]), offset];
      packet = { ...packet, data };
      this.packets.push({ offset, opts, data, emittedAt: Date.now() });
      if (this.packets.length > this.maxPackets) this.packets.splice(0, this.packets.length - this.maxPackets);
    }
    super.broadcast(packet, opts);
  }
}

function reaches(rooms: Room[], opts: BroadcastOptions): boolean {
  const included = opts.rooms.size === 0 || rooms.some((room) => opts.rooms.has(room));
  const excluded = opts.except !== undefined && rooms.some((room) => opts.except!.has(room));
  return included && !excluded;
}
