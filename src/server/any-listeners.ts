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
