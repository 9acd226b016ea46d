import { clientError } from "./errors.js";
import type { Later } from "./timers.js";

type AckFn = (...args: any[]) => void;

/** An emit waiting for its answer. The fields are `_`-named, as private: the minified bundles rename them. */
interface PendingAck {
  _fn: AckFn;
  /** Error-first: called with `null` before the answer, or with the error alone. */
  _withError: boolean;
  _cancel?: () => void;
}

/**
 * The acks a socket waits for, by id. A record ends exactly once: answered, timed out, or
 * dropped because the connection that could answer it is gone.
 */
export class AckStore {
  private _nextId = 0;
  private readonly _pending = new Map<number, PendingAck>();

  private readonly _later: Later;

  constructor(later: Later) {
    this._later = later;
  }

  /**
   * Registers `fn` under a fresh id. With a `timeout`, `fn` gets the timeout error when it
   * expires and `onTimeout` runs first (to drop a packet that was never sent).
   */
  add(fn: AckFn, withError: boolean | undefined, timeout?: number, onTimeout?: (id: number) => void): number {
    const id = this._nextId++;
    const record: PendingAck = { _fn: fn, _withError: withError || timeout !== undefined };
    if (timeout !== undefined) {
      record._cancel = this._later(() => {
        this._pending.delete(id);
        onTimeout?.(id);
        fn(clientError("ACK_TIMEOUT"));
      }, timeout);
    }
    this._pending.set(id, record);
    return id;
  }

  /** Delivers the answer to ack `id`; an unknown or settled id is ignored. */
  settle(id: number, args: unknown[]): void {
    const record = this._pending.get(id);
    if (!record) return;
    this._pending.delete(id);
    record._cancel?.();
    if (record._withError) record._fn(null, ...args);
    else record._fn(...args);
  }

  /**
   * The connection is gone: no answer can come for the packets it carried. Error-first acks
   * learn it; plain ones are dropped, as socket.io-client does. `keep` spares the acks of
   * packets still waiting in the send buffer: they have not been sent yet.
   */
  dropAll(keep: (id: number) => boolean): void {
    for (const [id, record] of this._pending) {
      if (keep(id)) continue;
      this._pending.delete(id);
      record._cancel?.();
      if (record._withError) record._fn(clientError("ACK_DISCONNECTED"));
    }
  }
}
