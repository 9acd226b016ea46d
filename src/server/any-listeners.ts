import type { Packet } from "../parser/index.js";
import type { EventsMap } from "../shared/typed-events.js";
import { StrictEventEmitter } from "./typed-emitter.js";

/** A catch-all listener, called with the event name and its arguments. */
export type AnyListener = (...args: any[]) => void;

/**
 * The list behind `onAny` / `onAnyOutgoing` and friends. Created only when an app adds a
 * listener, so sockets without catch-all listeners carry nothing.
 */
export class AnyListeners {
  private list: AnyListener[] = [];

  add(listener: AnyListener): void {
    this.list.push(listener);
  }

  prepend(listener: AnyListener): void {
    this.list.unshift(listener);
  }

  /** Removes one listener, or all of them without an argument. */
  remove(listener?: AnyListener): void {
    if (!listener) {
      this.list = [];
      return;
    }
    const at = this.list.indexOf(listener);
    if (at !== -1) this.list.splice(at, 1);
  }

  all(): AnyListener[] {
    return this.list.slice();
  }

  get size(): number {
    return this.list.length;
  }

  /** Calls every listener; a copy, so a listener may remove itself. */
  call(thisArg: unknown, args: readonly unknown[]): void {
    for (const listener of this.list.slice()) listener.apply(thisArg, args as unknown[]);
  }
}

/**
 * An emitter with socket.io's catch-all listeners: `onAny` and friends for incoming events,
 * `onAnyOutgoing` and friends for outgoing ones.
 */
export abstract class CatchAllEmitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ReservedEvents extends EventsMap,
> extends StrictEventEmitter<ListenEvents, EmitEvents, ReservedEvents> {
  private anyIncoming: AnyListeners | undefined;
  private anyOutgoing: AnyListeners | undefined;

  /** Adds a listener called for every incoming event, with the event name first. */
  onAny(listener: AnyListener): this {
    (this.anyIncoming ??= new AnyListeners()).add(listener);
    return this;
  }

  prependAny(listener: AnyListener): this {
    (this.anyIncoming ??= new AnyListeners()).prepend(listener);
    return this;
  }

  offAny(listener?: AnyListener): this {
    this.anyIncoming?.remove(listener);
    return this;
  }

  listenersAny(): AnyListener[] {
    return this.anyIncoming?.all() ?? [];
  }

  /** Adds a listener called for every outgoing event, with the event name first. */
  onAnyOutgoing(listener: AnyListener): this {
    (this.anyOutgoing ??= new AnyListeners()).add(listener);
    return this;
  }

  prependAnyOutgoing(listener: AnyListener): this {
    (this.anyOutgoing ??= new AnyListeners()).prepend(listener);
    return this;
  }

  offAnyOutgoing(listener?: AnyListener): this {
    this.anyOutgoing?.remove(listener);
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this.anyOutgoing?.all() ?? [];
  }

  protected notifyIncomingListeners(args: readonly unknown[]): void {
    if (this.anyIncoming?.size) this.anyIncoming.call(this, args);
  }

  /** Tells the outgoing catch-all listeners about a packet; adapters call it for broadcasts. */
  notifyOutgoingListeners(packet: Packet): void {
    if (this.anyOutgoing?.size) this.anyOutgoing.call(this, (packet.data ?? []) as unknown[]);
  }
}
