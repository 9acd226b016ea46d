import { clientError } from "./errors.js";
import type { Later } from "./timers.js";

type AckFn = (...args: any[]) => void;

/** An emit waiting for its answer. */
interface PendingAck {
  fn: AckFn;
  /** Error-first: called with `null` before the answer, or with the error alone. */
  withError: boolean;
  cancel: (() => void) | undefined;
}

/**
 * The acks a socket waits for, by id. A record ends exactly once: answered, timed out, or
 * dropped because the connection that could answer it is gone.
 */
export class AckStore {
  #nextId = 0;
  readonly #pending = new Map<number, PendingAck>();

  readonly #later: Later;

  constructor(later: Later) {
    this.#later = later;
  }

  /**
   * Registers `fn` under a fresh id. With a `timeout`, `fn` gets the timeout error when it
   * expires and `onTimeout` runs first (to drop a packet that was never sent).
   */
  add(fn: AckFn, withError: boolean, timeout?: number, onTimeout?: (id: number) => void): number {
    const id = this.#nextId++;
    const record: PendingAck = { fn, withError: withError || timeout !== undefined, cancel: undefined };
    if (timeout !== undefined) {
      record.cancel = this.#later(() => {
        this.#pending.delete(id);
        onTimeout?.(id);
        fn(clientError("ACK_TIMEOUT"));
      }, timeout);
    }
    this.#pending.set(id, record);
    return id;
  }

  /** Delivers the answer to ack `id`; an unknown or settled id is ignored. */
  settle(id: number, args: unknown[]): void {
    const record = this.#pending.get(id);
    if (!record) return;
    this.#pending.delete(id);
    record.cancel?.();
    if (record.withError) record.fn(null, ...args);
    else record.fn(...args);
  }

  /**
   * The connection is gone: no answer can come for the packets it carried. Error-first acks
   * learn it; plain ones are dropped, as socket.io-client does. `keep` spares the acks of
   * packets still waiting in the send buffer: they have not been sent yet.
   */
  dropAll(keep: (id: number) => boolean): void {
    for (const [id, record] of this.#pending) {
      if (keep(id)) continue;
      this.#pending.delete(id);
      record.cancel?.();
      if (record.withError) record.fn(clientError("ACK_DISCONNECTED"));
    }
  }
}
