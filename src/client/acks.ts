import { ackTimeoutError, ClientError } from "./errors.js";
import type { Later } from "./timers.js";

type AckFn = (...args: any[]) => void;

/** An emit waiting for its answer. The fields are `_`-named, as private: the minified bundles rename them. */
interface PendingAck {
  _fn: AckFn;
  /** Error-first: called with `null` before the answer, or with the error alone. */
  _withError: boolean;
  _cancel?: () => void;
}

/** The socket whose acks these are: its send buffer, and its Manager's timers. */
export interface AckHost {
  sendBuffer: Array<{ packet: { id?: number } }>;
  readonly io: { readonly _later: Later };
}

/**
 * The acks a socket waits for, by id. A record ends exactly once: answered, timed out, or
 * dropped because the connection that could answer it is gone.
 */
export class AckStore {
  private _nextId = 0;
  private readonly _pending = new Map<number, PendingAck>();

  constructor(private readonly _host: AckHost) {}

  /**
   * Registers `fn` under a fresh id. With a `timeout`, `fn` gets the timeout error when it
   * expires, and the packet leaves the send buffer first if it is still there: an emit that
   * timed out before it could be sent must not go out on reconnect.
   */
  add(fn: AckFn, withError: boolean | undefined, timeout?: number): number {
    const id = this._nextId++;
    const record: PendingAck = { _fn: fn, _withError: withError || timeout !== undefined };
    if (timeout !== undefined) {
      record._cancel = this._host.io._later(() => {
        this._pending.delete(id);
        this._host.sendBuffer = this._host.sendBuffer.filter((o) => o.packet.id !== id);
        fn(ackTimeoutError());
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
   * learn it; plain ones are dropped, as socket.io-client does. The acks of packets still
   * waiting in the send buffer stay: those have not been sent yet.
   */
  dropAll(): void {
    for (const [id, record] of this._pending) {
      if (this._host.sendBuffer.some((o) => o.packet.id === id)) continue;
      this._pending.delete(id);
      record._cancel?.();
      if (record._withError) record._fn(new ClientError("ACK_DISCONNECTED", "socket has been disconnected"));
    }
  }
}
