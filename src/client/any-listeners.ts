/** Calls each catch-all listener registered at the time of the call (a listener may remove itself). */
export function callEach(list: ReadonlyArray<(...args: any[]) => void>, args: readonly unknown[]): void {
  if (list.length === 0) return; // the usual case: no copy of the empty list per emit
  for (const fn of list.slice()) fn.apply(null, args as unknown[]);
}
