import createDebug from "debug";
import type { EventNames, EventParams, EventsMap, DefaultEventsMap, RemoveAcknowledgements } from "../shared/typed-events.js";
import { Adapter, type BroadcastOptions, type Room, type SocketId } from "./adapter.js";
import type { RemoteSocket } from "./broadcast-operator.js";
import { Namespace } from "./namespace.js";
import type { Server } from "./server.js";
import type { Packet } from "../parser/index.js";

const debug = createDebug("rtio:server:parent-namespace");

/**
 * A namespace made of namespaces: `io.of(/^\/room-\d+$/)` or `io.of((name, auth, next) => ...)`.
 * Each matching name becomes a child Namespace with the parent's middlewares and
 * connection listeners; what is emitted on the parent goes to every child.
 */
export class ParentNamespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> extends Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  private static count = 0;
  readonly children: Set<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = new Set();

  constructor(server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) {
    super(server, "/_" + ParentNamespace.count++);
  }

  /** @internal Broadcasts of the parent fan out to the children's adapters. */
  override _initAdapter(): void {
    this.adapter = new ParentBroadcastAdapter(this as unknown as ParentNamespace);
  }

  override emit<Ev extends EventNames<RemoveAcknowledgements<EmitEvents>>>(
    ev: Ev,
    ...args: EventParams<RemoveAcknowledgements<EmitEvents>, Ev>
  ): boolean {
    for (const nsp of this.children) nsp.emit(ev, ...args);
    return true;
  }

  /** @internal */
  createChild(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    debug("creating child namespace %s", name);
    const child = new Namespace(this.server, name);
    child._fns = this._fns.slice();
    for (const listener of this.listeners("connect")) child.on("connect", listener);
    for (const listener of this.listeners("connection")) child.on("connection", listener);
    this.children.add(child);
    if (this.server._opts.cleanupEmptyChildNamespaces) {
      child._onEmpty = () => {
        Promise.resolve(child.adapter.close()).catch(() => {});
        this.server._nsps.delete(child.name);
        this.children.delete(child);
      };
    }
    this.server._nsps.set(name, child);
    this.server._announceNamespace(child);
    return child;
  }

  override fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return Promise.all([...this.children].map((nsp) => nsp.fetchSockets())).then((lists) => lists.flat());
  }
}

/** The parent's adapter: it owns no sockets, it forwards to every child's adapter. */
class ParentBroadcastAdapter extends Adapter {
  constructor(private readonly parent: ParentNamespace) {
    super(parent as unknown as Namespace<any, any, any, any>);
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    for (const nsp of this.parent.children) nsp.adapter.broadcast({ ...packet }, opts);
  }

  override async sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const all = new Set<SocketId>();
    for (const nsp of this.parent.children) for (const id of await nsp.adapter.sockets(rooms)) all.add(id);
    return all;
  }

  override addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    for (const nsp of this.parent.children) nsp.adapter.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    for (const nsp of this.parent.children) nsp.adapter.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    for (const nsp of this.parent.children) nsp.adapter.disconnectSockets(opts, close);
  }
}
