import { EventEmitter } from "node:events";
import createDebug from "debug";
import type { Packet } from "../parser/index.js";
import type { Namespace } from "./namespace.js";
import type { Socket } from "./socket.js";
import { wireFrames, type WireFrames } from "./ws/frame-writer.js";

const debug = createDebug("rtio:server:adapter");

/** A public socket id, sent to the client in CONNECT. */
export type SocketId = string;
/** A private session id, sent in CONNECT and used only for connection state recovery. */
export type PrivateSessionId = string;
export type Room = string;

export interface BroadcastFlags {
  volatile?: boolean;
  compress?: boolean;
  local?: boolean;
  broadcast?: boolean;
  binary?: boolean;
  timeout?: number;
  /** Set by RemoteSocket: the ack gets the one reply, not an array of replies. */
  expectSingleResponse?: boolean;
}

export interface BroadcastOptions {
  rooms: Set<Room>;
  except?: Set<Room>;
  flags?: BroadcastFlags;
}

export interface SessionToPersist {
  sid: SocketId;
  pid: PrivateSessionId;
  rooms: Room[];
  data: unknown;
}

export type Session = SessionToPersist & { missedPackets: unknown[][] };

/** How `Client.writeToEngine` writes: the same shape socket.io-adapter passes. */
export interface WriteOptions {
  preEncoded?: boolean;
  volatile?: boolean | undefined;
  compress?: boolean | undefined;
  /** A ready WebSocket frame, sent as is by engine.io's websocket transport. */
  wsPreEncodedFrame?: unknown;
  /** rtio's own: every part of the packet framed once, for writing straight to idle WebSockets. */
  wsFrames?: WireFrames | undefined;
}

/**
 * The in-memory adapter: which socket is in which room, and delivery of broadcasts to the
 * local sockets. Same contract as socket.io-adapter's `Adapter`, so the Redis, Redis
 * Streams and cluster adapters (which extend their own copy of it) plug in unchanged.
 */
export class Adapter extends EventEmitter {
  readonly rooms: Map<Room, Set<SocketId>> = new Map();
  readonly sids: Map<SocketId, Set<Room>> = new Map();

  constructor(readonly nsp: Namespace<any, any, any, any>) {
    super();
  }

  /** For adapters that connect somewhere; nothing to do in memory. */
  init(): Promise<void> | void {}

  close(): Promise<void> | void {}

  /** The number of servers in the cluster: one, in memory. */
  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  addAll(id: SocketId, rooms: Set<Room>): Promise<void> | void {
    if (!this.sids.has(id) && rooms.size === 1 && rooms.has(id) && !this.rooms.has(id)) return this.joinOwnRoom(id);
    let joined = this.ownJoined(id);
    if (!joined) {
      joined = new Set();
      this.sids.set(id, joined);
    }
    for (const room of rooms) {
      joined.add(room);
      let members = this.ownMembers(room);
      if (!members) {
        members = new Set();
        this.rooms.set(room, members);
        this.emit("create-room", room);
      }
      if (!members.has(id)) {
        members.add(id);
        this.emit("join-room", room, id);
      }
    }
  }

  del(id: SocketId, room: Room): Promise<void> | void {
    this.ownJoined(id)?.delete(room);
    this.removeFromRoom(room, id);
  }

  delAll(id: SocketId): void {
    const joined = this.sids.get(id);
    if (!joined) return;
    for (const room of joined) this.removeFromRoom(room, id);
    this.sids.delete(id);
  }

  private removeFromRoom(room: Room, id: SocketId): void {
    const members = this.rooms.get(room);
    if (!members || !members.has(id)) return;
    // A shared set is `{id}` and also the rooms of socket `id` (see joinOwnRoom): the room
    // empties, and the set stays as it is for `sids`.
    const shared = members === this.sids.get(room);
    if (!shared) members.delete(id);
    this.emit("leave-room", room, id);
    if ((shared || members.size === 0) && this.rooms.delete(room)) this.emit("delete-room", room);
  }

  /**
   * A new socket joining only its own room, which every socket does: its room (`rooms.get(id)`)
   * and its rooms (`sids.get(id)`) both hold just its id, so they share one Set (about 150 bytes
   * less per connection). The first change to either gives it a copy of its own
   * (`ownJoined`, `ownMembers`), so a shared set always holds exactly `{id}`.
   */
  private joinOwnRoom(id: SocketId): void {
    const both = new Set([id]);
    this.sids.set(id, both);
    this.rooms.set(id, both);
    this.emit("create-room", id);
    this.emit("join-room", id, id);
  }

  private ownJoined(id: SocketId): Set<Room> | undefined {
    return ownSet(this.sids, this.rooms, id);
  }

  private ownMembers(room: Room): Set<SocketId> | undefined {
    return ownSet(this.rooms, this.sids, room);
  }

  /** Encodes the packet once and writes the same frames to every matching socket. */
  broadcast(packet: Packet, opts: BroadcastOptions): void {
    const writeOpts = writeOptionsOf(opts);
    packet.nsp = this.nsp.name;
    const encoded = this.encode(packet, writeOpts);
    this.apply(opts, (socket) => {
      socket.notifyOutgoingListeners(packet);
      socket.client.writeToEngine(encoded, writeOpts);
    });
  }

  /**
   * Like `broadcast`, but each recipient answers: `ack` is called once per reply, and
   * `clientCountCallback` with the number of recipients, so the caller knows when all replied.
   */
  broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (...args: any[]) => void,
  ): void {
    const writeOpts = writeOptionsOf(opts);
    packet.nsp = this.nsp.name;
    // One id for every recipient is safe: ids come from the namespace's single counter.
    packet.id = this.nsp._ids++;
    const encoded = this.encode(packet, writeOpts);
    let count = 0;
    this.apply(opts, (socket) => {
      count++;
      socket.acks.set(packet.id!, ack);
      socket.notifyOutgoingListeners(packet);
      socket.client.writeToEngine(encoded, writeOpts);
    });
    clientCountCallback(count);
  }

  /**
   * Encodes once for all recipients, and frames once for WebSocket: idle WebSocket
   * recipients get the frames written as they are; the others take engine.io's path, where
   * a one-part text packet still skips re-framing through `wsPreEncodedFrame`.
   */
  protected encode(packet: Packet, writeOpts: WriteOptions): unknown[] {
    const encoded = this.nsp.server.encoder.encode(packet);
    const frames = wireFrames(encoded);
    if (frames === undefined) return encoded;
    writeOpts.wsFrames = frames;
    if (encoded.length === 1 && !frames.binary) writeOpts.wsPreEncodedFrame = [frames.bytes];
    return encoded;
  }

  sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.apply({ rooms }, (socket) => ids.add(socket.id));
    return Promise.resolve(ids);
  }

  socketRooms(id: SocketId): Set<Room> | undefined {
    return this.sids.get(id);
  }

  fetchSockets(opts: BroadcastOptions): Promise<any[]> {
    const found: Socket[] = [];
    this.apply(opts, (socket) => found.push(socket));
    return Promise.resolve(found);
  }

  addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    this.apply(opts, (socket) => socket.join(rooms));
  }

  delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    this.apply(opts, (socket) => {
      for (const room of rooms) socket.leave(room);
    });
  }

  disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    this.apply(opts, (socket) => socket.disconnect(close));
  }

  /** Calls `fn` once for every local socket matching `opts`. */
  protected apply(opts: BroadcastOptions, fn: (socket: Socket) => void): void {
    const except = this.exceptIds(opts.except);
    const sockets = this.nsp.sockets as Map<SocketId, Socket>;
    if (opts.rooms.size === 0) {
      for (const id of this.sids.keys()) {
        if (except.has(id)) continue;
        const socket = sockets.get(id);
        if (socket) fn(socket);
      }
      return;
    }
    const seen = new Set<SocketId>();
    for (const room of opts.rooms) {
      const members = this.rooms.get(room);
      if (!members) continue;
      for (const id of members) {
        if (seen.has(id) || except.has(id)) continue;
        seen.add(id);
        const socket = sockets.get(id);
        if (socket) fn(socket);
      }
    }
  }

  private exceptIds(rooms: Set<Room> | undefined): Set<SocketId> {
    const ids = new Set<SocketId>();
    if (!rooms || rooms.size === 0) return ids;
    for (const room of rooms) {
      const members = this.rooms.get(room);
      if (members) for (const id of members) ids.add(id);
    }
    return ids;
  }

  /**
   * Sends `serverSideEmit` to the other servers. In memory there are none: an ack is
   * answered at once with no replies, rather than never.
   */
  serverSideEmit(packet: any[]): void {
    const ack = packet[packet.length - 1];
    if (typeof ack !== "function") return debug("serverSideEmit with a single server: nothing to send");
    process.nextTick(ack, null, []);
  }

  /** Keeps a session for recovery: the plain adapter keeps nothing. */
  persistSession(_session: SessionToPersist): void {}

  restoreSession(_pid: PrivateSessionId, _offset: string): Promise<Session | null> | null {
    return null;
  }
}

function writeOptionsOf(opts: BroadcastOptions): WriteOptions {
  const flags = opts.flags ?? {};
  return { preEncoded: true, volatile: flags.volatile, compress: flags.compress };
}

/** `map`'s set for `key`, first replaced by a copy if `other` shares it for the same key. */
function ownSet(map: Map<string, Set<string>>, other: Map<string, Set<string>>, key: string): Set<string> | undefined {
  const set = map.get(key);
  if (set === undefined || set !== other.get(key)) return set;
  const copy = new Set(set);
  map.set(key, copy);
  return copy;
}
