type Listener = (...args: unknown[]) => void;

/** "$" + event, made once per event name (engine.io-client emits a fixed few). */
const keys = new Map<string, string>();

function keyOf(event: string): string {
  let key = keys.get(event);
  if (key === undefined) {
    key = "$" + event;
    if (keys.size < 64) keys.set(event, key);
  }
  return key;
}

/**
 * component-emitter's `emit`, with the same listeners, order, arguments and snapshot, but no
 * garbage per call: it builds "$" + event, an arguments array and a copy of the listener list
 * every time. engine.io-client emits seven events per ack round trip (packetCreate, flush,
 * drain, packet, heartbeat, data, message), most with no listener at all; in Node's ack
 * profile that emit was the client's largest JavaScript cost after the codec.
 */
export function fastEmit(this: { _callbacks?: Record<string, Listener[] | undefined> }, event: string, a?: unknown, b?: unknown): unknown {
  const callbacks = this._callbacks?.[keyOf(event)];
  if (callbacks === undefined || callbacks.length === 0) return this;
  const count = arguments.length;
  const rest = count > 3 ? Array.prototype.slice.call(arguments, 1) : undefined;
  // One listener needs no copy of the list: it is taken before it runs.
  if (callbacks.length === 1) {
    call(this, callbacks[0]!, count, a, b, rest);
    return this;
  }
  for (const fn of callbacks.slice()) call(this, fn, count, a, b, rest);
  return this;
}

// The listener gets exactly as many arguments as the emit had.
function call(self: unknown, fn: Listener, count: number, a: unknown, b: unknown, rest: unknown[] | undefined): void {
  if (count === 1) fn.call(self);
  else if (count === 2) fn.call(self, a);
  else if (count === 3) fn.call(self, a, b);
  else fn.apply(self, rest!);
}
