import { ackTimeoutError, ClientError } from "./errors.js";
import type { Later } from "./timers.js";

type Ack = (err: Error | null, ...args: unknown[]) => void;

/**
 * One emit that must be delivered: sent again only once its last try cannot be answered.
 * The fields are `_`-named, as private: the minified bundles rename them.
 */
interface QueuedEmit {
  _args: unknown[];
  /** How long each try waits for the ack: the emit's `timeout()`, else `ackTimeout`. */
  _timeout: number | undefined;
  _compress: boolean;
  _ack: Ack | undefined;
  /** Tries so far: each send, and each ack timeout while the last send could still be answered. */
  _tries: number;
  /** Whether the last send may still be answered (its ack record is alive). */
  _inFlight: boolean;
  _cancel?: (() => void) | undefined;
}

/** What the queue needs of its socket. */
export interface RetryHost {
  readonly connected: boolean;
  /** The socket's default ack timeout, for an emit without its own `timeout()`. */
  readonly _ackTimeout: number | undefined;
  readonly io: { readonly _later: Later };
  /** Emits `args`, its last one an ack that `_fromQueue` makes error-first and untimed: the queue times the tries itself. */
  _send(args: unknown[], flags: { _fromQueue: true; compress: boolean }): void;
}

/**
 * The `retries` queue: emits go out one at a time, in order, each until the server acks it.
 * A try is repeated only when the connection that carried it is gone; resending while the
 * first try can still be answered would deliver the event twice. While the connection lives,
 * an ack timeout just counts as a try, and `retries + 1` tries end the emit with the error.
 */
export class RetryQueue {
  private readonly _queue: QueuedEmit[] = [];

  private readonly _socket: RetryHost;
  private readonly _retries: number;

  constructor(socket: RetryHost, retries: number) {
    this._socket = socket;
    this._retries = retries;
  }

  /** Queues `args` (event name first, ack last if any) with the flags of its emit. */
  push(args: unknown[], flags: { timeout?: number | undefined; compress?: boolean | undefined } = {}): void {
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    const timeout = flags.timeout ?? this._socket._ackTimeout;
    this._queue.push({ _args: args, _timeout: timeout, _compress: flags.compress !== false, _ack: ack, _tries: 0, _inFlight: false });
    this.drain();
  }

  /** Sends the head if it is not out already; called on emit, on answer and on (re)connect. */
  drain(): void {
    const head = this._queue[0];
    if (!head || head._inFlight || !this._socket.connected) return;
    head._inFlight = true;
    head._tries++;
    if (!head._cancel) this._arm(head);
    // The send's acks are error-first: `err` is null (answered) or the ack store's ClientError.
    // An answer to an emit that already ended (it is no longer the head) is ignored, and a lost
    // connection (ACK_DISCONNECTED) sends the head again on reconnect.
    this._socket._send(
      [
        ...head._args,
        (err: Error | null, ...res: unknown[]) => {
          head._inFlight = false;
          if (head === this._queue[0] && (err as ClientError | null)?.code !== "ACK_DISCONNECTED") this._finish(head, err, ...res);
        },
      ],
      { _fromQueue: true, compress: head._compress },
    );
  }

  // An ack timeout counts as a try; while the last send can still be answered, it is not repeated.
  private _arm(entry: QueuedEmit): void {
    if (entry._timeout === undefined) return;
    entry._cancel = this._socket.io._later(() => {
      entry._cancel = undefined;
      if (entry !== this._queue[0]) return;
      if (entry._tries > this._retries) this._finish(entry, ackTimeoutError());
      else if (entry._inFlight) {
        entry._tries++;
        this._arm(entry);
      } else this.drain(); // its connection went away: send again now, or on reconnect
    }, entry._timeout);
  }

  private _finish(entry: QueuedEmit, err: Error | null, ...res: unknown[]): void {
    entry._cancel?.();
    this._queue.shift();
    entry._ack?.(err, ...res); // an error comes alone
    this.drain();
  }

  /** Cancels every timer; the queued emits are dropped without a callback. */
  clear(): void {
    for (const entry of this._queue.splice(0)) entry._cancel?.();
  }
}
