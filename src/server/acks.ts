import { MESSAGES } from "./constants.js";
import { serverError } from "./errors.js";

/** A function that receives a client's reply. The adapter contract stores these in `socket.acks`. */
export type AckFn = ((...args: any[]) => void) & { cancel?: (err: Error) => void };

/**
 * Wraps an app's ack for `timeout(ms).emit(...)`: error-first, called with an
 * `operation has timed out` error if no reply comes in time. The returned function carries
 * `cancel`, so a socket that goes away can fail it at once instead of leaving a timer behind.
 */
export function timedAck(
  acks: Map<number, AckFn>,
  id: number,
  timeout: number,
  ack: (...args: any[]) => void,
  thisArg: unknown,
): AckFn {
  const timer = setTimeout(() => {
    acks.delete(id);
    ack.call(thisArg, serverError("ACK_TIMEOUT", MESSAGES.timeout));
  }, timeout);
  const wrapped: AckFn = (...args: unknown[]) => {
    clearTimeout(timer);
    ack.apply(thisArg, [null, ...args]);
  };
  wrapped.cancel = (err: Error) => {
    clearTimeout(timer);
    acks.delete(id);
    ack.call(thisArg, err);
  };
  return wrapped;
}

/** Fails every pending ack that has a timer, so none outlives its socket. */
export function cancelAcks(acks: Map<number, AckFn>): void {
  const pending = [...acks.values()];
  acks.clear();
  const err = serverError("SOCKET_DISCONNECTED", MESSAGES.disconnected);
  for (const ack of pending) ack.cancel?.(err);
}
