import Backoff from "backo2";
import { setting } from "./constants.js";
import type { ManagerOptions } from "./options.js";
import type { Later } from "./timers.js";

/** The events the reconnect loop reports through its Manager. */
export interface ReconnectEvents {
  reconnect_attempt: (attempt: number) => void;
  reconnect: (attempt: number) => void;
  reconnect_error: (err: Error) => void;
  reconnect_failed: () => void;
}

/** The Manager options the loop reads at each try, so a setter applies from the next one. */
export type ReconnectPolicy = Partial<Pick<ManagerOptions, "reconnectionAttempts" | "reconnectionDelay" | "reconnectionDelayMax" | "randomizationFactor">>;

/** What the loop needs of its Manager: the policy, one try, the events and the timers. */
export interface ReconnectHost {
  readonly opts: ReconnectPolicy;
  /** One try: `done` gets the error of a failed one, or nothing. */
  open(done: (err?: Error) => void): unknown;
  emitReserved<Ev extends keyof ReconnectEvents>(ev: Ev, ...args: Parameters<ReconnectEvents[Ev]>): void;
  readonly _later: Later;
}

/**
 * The exponent the delay may use for `delay`·2^n: the first one that reaches `delayMax`.
 * backo2 grows it without bound, and past ~1,000 attempts `delay`·2^n is Infinity, which its
 * jitter turns into NaN | 0 = 0 ms: a reconnect storm after an hour against a dead server.
 * Stopping at the first exponent over the cap keeps the delay at the cap with some jitter left.
 */
export function exponentCap(delay: number, delayMax: number): number {
  return delay > 0 && delayMax > delay ? Math.min(30, Math.ceil(Math.log2(delayMax / delay))) : 0;
}

/**
 * The reconnect loop: waits an exponential, jittered delay (from the policy as it is
 * at that try), tries once through the host's `open`, and starts over on failure until the attempts
 * are spent. The attempt count is reset when a try succeeds, and by the Manager whenever a
 * connection closes.
 */
export class Reconnector {
  /** True from the moment a try is scheduled until it succeeds, fails for good or is stopped. */
  active = false;
  /** How many tries have been scheduled since the last reset. */
  attempts = 0;
  private _cancel: (() => void) | undefined;

  constructor(private readonly _host: ReconnectHost) {}

  /** Schedules the next try, or reports `reconnect_failed` once the attempts are spent. */
  schedule(): void {
    if (this.active) return;
    const opts = this._host.opts;
    if (this.attempts >= setting(opts, "reconnectionAttempts")) {
      this.attempts = 0;
      this._host.emitReserved("reconnect_failed");
      return;
    }
    this.active = true;
    // socket.io-client's policy, computed by backo2 (with its quirks: a 0 delay means 100 ms, a 0
    // maximum 10 s, a jitter outside (0, 1] none) from the settings as they are now, its exponent capped.
    const backoff = new Backoff({ min: setting(opts, "reconnectionDelay"), max: setting(opts, "reconnectionDelayMax"), jitter: setting(opts, "randomizationFactor") });
    backoff.attempts = Math.min(this.attempts++, exponentCap(backoff.ms, backoff.max));
    this._cancel = this._host._later(() => {
      this._host.emitReserved("reconnect_attempt", this.attempts);
      // A `reconnect_attempt` listener may have closed the Manager.
      if (!this.active) return;
      this._host.open((err) => {
        this.active = false;
        if (err) {
          this.schedule();
          this._host.emitReserved("reconnect_error", err);
        } else {
          const attempt = this.attempts;
          this.attempts = 0;
          this._host.emitReserved("reconnect", attempt);
        }
      });
    }, backoff.duration());
  }

  /** Cancels a scheduled try; the attempt count stays. */
  stop(): void {
    this._cancel?.();
    this.active = false;
  }
}
