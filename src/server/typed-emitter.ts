import { EventEmitter } from "node:events";
import type {
  EventNames,
  EventParams,
  EventsMap,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from "../shared/typed-events.js";

/**
 * A Node EventEmitter whose `on` knows the listen and reserved maps, and whose `emit` is
 * left to subclasses (for a Socket, `emit` sends to the peer). Local events go through
 * `emitReserved`.
 */
export abstract class StrictEventEmitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ReservedEvents extends EventsMap = {},
> extends EventEmitter {
  constructor() {
    super();
    // EventEmitter starts every instance with an empty listener table (~100 B with its shape),
    // and creates one itself on the first `on()` when there is none; every reader of the table
    // (emit, listenerCount, eventNames, removeListener...) accepts `undefined`. Idle sockets
    // with no listener of their own are most sockets of a large server.
    (this as unknown as { _events: object | undefined })._events = undefined;
  }

  override on<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return super.on(ev, listener);
  }

  override once<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return super.once(ev, listener);
  }

  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return super.emit(ev, ...args);
  }

  protected emitReserved<Ev extends EventNames<ReservedEvents>>(ev: Ev, ...args: EventParams<ReservedEvents, Ev>): boolean {
    return super.emit(ev, ...args);
  }

  /** Emits an event the maps cannot describe (an incoming event, a server-side event). */
  protected emitUntyped(ev: string, ...args: any[]): boolean {
    return super.emit(ev, ...args);
  }

  override listeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
  ): ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[] {
    return super.listeners(ev) as ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[];
  }
}
