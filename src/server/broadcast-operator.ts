import type { Handshake } from "./handshake.js";
import { PacketType, type Packet } from "../parser/index.js";
import type {
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
} from "../shared/typed-events.js";
import type { Adapter, BroadcastFlags, BroadcastOptions, Room, SocketId } from "./adapter.js";
import { MESSAGES } from "./constants.js";
import { assertNotReserved, serverError } from "./errors.js";

/**
 * A broadcast being described: rooms, exclusions and flags. Immutable: every modifier
 * returns a new operator, so `const admins = io.to("admins")` can be reused safely.
 */
export class BroadcastOperator<EmitEvents extends EventsMap = DefaultEventsMap, SocketData = any> {
  constructor(
    private readonly adapter: Adapter,
    private readonly rooms: Set<Room> = new Set(),
    private readonly exceptRooms: Set<Room> = new Set(),
    private readonly flags: BroadcastFlags = {},
  ) {}

  /** Targets one room or several; a socket in many of them still gets the event once. */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const rooms = new Set(this.rooms);
    for (const r of asArray(room)) rooms.add(r);
    return new BroadcastOperator(this.adapter, rooms, this.exceptRooms, this.flags);
  }

  /** Same as `to`. */
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Leaves out the sockets of one room or several. */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const exceptRooms = new Set(this.exceptRooms);
    for (const r of asArray(room)) exceptRooms.add(r);
    return new BroadcastOperator(this.adapter, this.rooms, exceptRooms, this.flags);
  }

  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ compress });
  }

  /** Sockets that cannot receive right now miss the event instead of buffering it. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ volatile: true });
  }

  /** Only the sockets of this server, with a multi-server adapter. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ local: true });
  }

  /**
   * Waits at most `timeout` ms for the acks; the ack gets an error and the replies so far.
   * @example io.timeout(1000).emit("ping", (err, replies) => {});
   */
  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, { ...this.flags, timeout });
  }

  private withFlags(flags: BroadcastFlags): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.adapter, this.rooms, this.exceptRooms, { ...this.flags, ...flags });
  }

  private options(): BroadcastOptions {
    return { rooms: this.rooms, except: this.exceptRooms, flags: this.flags };
  }

  /** Sends the event to every targeted socket; a last function argument collects their acks. */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    assertNotReserved(ev);
    const data: unknown[] = [ev, ...args];
    const packet: Packet = { type: PacketType.EVENT, nsp: "/", data };
    const ack = data[data.length - 1];
    if (typeof ack !== "function") {
      this.adapter.broadcast(packet, this.options());
      return true;
    }
    data.pop();
    this.broadcastWithAck(packet, ack as (...args: unknown[]) => void);
    return true;
  }

  private broadcastWithAck(packet: Packet, ack: (...args: unknown[]) => void): void {
    const single = this.flags.expectSingleResponse === true;
    const pending = (this.adapter.nsp as { _pendingAcks?: Set<AckCollector> })._pendingAcks;
    const collector = new AckCollector(this.flags.timeout, (err, replies) => {
      pending?.delete(collector);
      if (single) ack(err, replies[0] ?? null);
      else ack(err, replies);
    });
    // Tracked by the namespace so that closing the server fails it instead of leaving its timer.
    pending?.add(collector);
    this.adapter.broadcastWithAck(
      packet,
      this.options(),
      (clientCount) => collector.expectClients(clientCount),
      (reply) => collector.reply(reply),
    );
    this.adapter.serverCount().then(
      (count) => collector.expectServers(count),
      () => collector.expectServers(1),
    );
  }

  /** Emits and resolves with the replies; rejects if the timeout passes first. */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      const ack = (err: unknown, replies: unknown) =>
        err ? reject(err) : resolve(replies as FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>);
      (this.emit as (ev: string, ...a: unknown[]) => boolean)(ev as string, ...args, ack);
    });
  }

  /** The ids of the targeted sockets. */
  allSockets(): Promise<Set<SocketId>> {
    return this.adapter.sockets(this.rooms);
  }

  /** The targeted sockets, on this server and (with a multi-server adapter) on the others. */
  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.adapter.fetchSockets(this.options()).then((sockets) =>
      sockets.map((socket: SocketDetails<SocketData> & { server?: unknown }) =>
        // A local Socket has everything a RemoteSocket has, and stays live.
        socket.server ? (socket as unknown as RemoteSocket<EmitEvents, SocketData>) : new RemoteSocket(this.adapter, socket),
      ),
    );
  }

  socketsJoin(room: Room | Room[]): void {
    this.adapter.addSockets(this.options(), asArray(room));
  }

  socketsLeave(room: Room | Room[]): void {
    this.adapter.delSockets(this.options(), asArray(room));
  }

  /** Disconnects the targeted sockets; with `close`, their whole connections. */
  disconnectSockets(close = false): void {
    this.adapter.disconnectSockets(this.options(), close);
  }
}

function asArray(room: Room | Room[]): Room[] {
  return Array.isArray(room) ? room : [room];
}

/**
 * Gathers the replies of a broadcast with acks. Done when every server said how many
 * clients it reached and that many replies came, or when the timeout passes.
 */
export class AckCollector {
  private readonly replies: unknown[] = [];
  private expectedServers = -1;
  private reportedServers = 0;
  private expectedClients = 0;
  private done = false;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    timeout: number | undefined,
    private readonly finish: (err: Error | null, replies: unknown[]) => void,
  ) {
    if (timeout !== undefined) {
      this.timer = setTimeout(() => this.end(serverError("ACK_TIMEOUT", MESSAGES.timeout)), timeout);
    }
  }

  expectServers(count: number): void {
    this.expectedServers = count;
    this.check();
  }

  expectClients(count: number): void {
    this.expectedClients += count;
    this.reportedServers++;
    this.check();
  }

  reply(value: unknown): void {
    if (this.done) return;
    this.replies.push(value);
    this.check();
  }

  private check(): void {
    if (this.expectedServers === this.reportedServers && this.replies.length >= this.expectedClients) this.end(null);
  }

  /** Ends it now, with `err` and the replies so far. */
  cancel(err: Error): void {
    this.end(err);
  }

  private end(err: Error | null): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.finish(err, this.replies);
  }
}

/** What is known of a socket on another server (or this one), as `fetchSockets()` gives it. */
export interface SocketDetails<SocketData> {
  id: SocketId;
  handshake: Handshake;
  rooms: Set<Room> | Room[];
  data: SocketData;
}

/** A socket found by `fetchSockets()`: its details, and a few actions routed through the adapter. */
export class RemoteSocket<EmitEvents extends EventsMap = DefaultEventsMap, SocketData = any> {
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  private readonly operator: BroadcastOperator<EmitEvents, SocketData>;

  constructor(
    private readonly adapter: Adapter,
    details: SocketDetails<SocketData>,
  ) {
    this.id = details.id;
    this.handshake = details.handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data;
    this.operator = new BroadcastOperator(adapter, new Set([this.id]), new Set(), { expectSingleResponse: true });
  }

  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.operator.emit(ev, ...args);
  }

  /** Waits at most `timeout` ms for the ack of the next emit. */
  timeout(timeout: number): BroadcastOperator<DecorateAcknowledgements<EmitEvents>, SocketData> {
    return this.operator.timeout(timeout);
  }

  join(room: Room | Room[]): void {
    this.adapter.addSockets(this.target(), asArray(room));
  }

  leave(room: Room | Room[]): void {
    this.adapter.delSockets(this.target(), asArray(room));
  }

  disconnect(close = false): this {
    this.adapter.disconnectSockets(this.target(), close);
    return this;
  }

  // Complete options: cluster adapters serialise `except` and `flags` and expect them present.
  private target(): BroadcastOptions {
    return { rooms: new Set([this.id]), except: new Set(), flags: {} };
  }
}
