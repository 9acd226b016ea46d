type AnyListener = (...args: any[]) => void;

/** The catch-all listeners of one direction (incoming or outgoing). */
export class AnyListeners {
  private _list: AnyListener[] = [];

  add(fn: AnyListener, first?: boolean): void {
    if (first) this._list.unshift(fn);
    else this._list.push(fn);
  }

  /** Removes `fn`, or every listener without one. */
  remove(fn?: AnyListener): void {
    this._list = fn ? this._list.filter((l) => l !== fn) : [];
  }

  all(): AnyListener[] {
    return this._list.slice();
  }

  /** Calls each listener registered at the time of the call (a listener may remove itself). */
  call(args: readonly unknown[]): void {
    if (this._list.length === 0) return; // the usual case: no copy of the empty list per emit
    for (const fn of this.all()) fn.apply(null, args as unknown[]);
  }
}
