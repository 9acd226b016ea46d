/** Anything with component-emitter's `on`/`off` (typed emitters narrow the names, hence `any`). */
interface Subscribable {
  on(event: any, fn: any): unknown;
  off(event: any, fn: any): unknown;
}

/** Adds a listener and returns the disposer that removes it, for a `subs` list. */
export function on(target: Subscribable, event: string, fn: (...args: any[]) => void): () => void {
  target.on(event, fn);
  return () => target.off(event, fn);
}
