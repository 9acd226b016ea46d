import Backoff from "backo2";
import { startTimer, type Timers } from "./timers.js";

/** The events the reconnect loop reports through its Manager. */
export interface ReconnectEvents {
  reconnect_attempt: (attempt: number) => void;
  reconnect: (attempt: number) => void;
  reconnect_error: (err: Error) => void;
  reconnect_failed: () => void;
}

export type ReconnectEmit = <Ev extends keyof ReconnectEvents>(ev: Ev, ...args: Parameters<ReconnectEvents[Ev]>) => void;

export interface ReconnectPolicy {
  attempts: number;
  delay: number;
  delayMax: number;
  randomizationFactor: number;
}

/**
 * The exponent backo2 may use for `delay`·2^n: the first one that reaches `delayMax`. backo2
 * grows it without bound, and past ~1,000 attempts `delay`·2^n is Infinity, which its jitter
 * turns into NaN | 0 = 0 ms: a reconnect storm after an hour against a dead server. Stopping
 * at the first exponent over the cap keeps the delay at the cap with some jitter left.
 */
export function exponentCap(delay: number, delayMax: number): number {
  if (!(delay > 0) || !(delayMax > delay)) return 0;
  return Math.min(30, Math.ceil(Math.log2(delayMax / delay)));
}

/**
 * The reconnect loop: waits an exponential, jittered delay (backo2), tries once through
 * `tryOpen`, and starts over on failure until `attempts` are spent. The attempt count is
 * reset when a try succeeds, and by the Manager whenever a connection closes.
 */
export class Reconnector {
  /** True from the moment a try is scheduled until it succeeds, fails for good or is stopped. */
  active = false;
  readonly #backoff: Backoff;
  #attempts = 0;
  #exponentCap: number;
  #stopTimer: (() => void) | undefined;

  #attemptsMax: number;
  readonly #tryOpen: (done: (err?: Error) => void) => void;
  readonly #emit: ReconnectEmit;
  readonly #timers: Timers;
  readonly #unref: boolean;

  constructor(
    attemptsMax: number,
    opts: Omit<ReconnectPolicy, "attempts">,
    tryOpen: (done: (err?: Error) => void) => void,
    emit: ReconnectEmit,
    timers: Timers,
    unref: boolean,
  ) {
    this.#attemptsMax = attemptsMax;
    this.#tryOpen = tryOpen;
    this.#emit = emit;
    this.#timers = timers;
    this.#unref = unref;
    this.#backoff = new Backoff({ min: opts.delay, max: opts.delayMax, jitter: opts.randomizationFactor });
    this.#exponentCap = exponentCap(opts.delay, opts.delayMax);
  }

  /** How many tries have been scheduled since the last reset. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Schedules the next try, or reports `reconnect_failed` once the attempts are spent. */
  schedule(): void {
    if (this.active) return;
    if (this.#attempts >= this.#attemptsMax) {
      this.reset();
      this.#emit("reconnect_failed");
      return;
    }
    this.active = true;
    this.#backoff.attempts = Math.min(this.#attempts++, this.#exponentCap);
    this.#stopTimer = startTimer(this.#timers, this.#backoff.duration(), () => this.#attempt(), this.#unref);
  }

  /** Cancels a scheduled try; the attempt count stays. */
  stop(): void {
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    this.active = false;
  }

  reset(): void {
    this.#attempts = 0;
    this.#backoff.reset();
  }

  set(policy: Partial<ReconnectPolicy>): void {
    if (policy.attempts !== undefined) this.#attemptsMax = policy.attempts;
    if (policy.delay !== undefined) this.#backoff.setMin(policy.delay);
    if (policy.delayMax !== undefined) this.#backoff.setMax(policy.delayMax);
    if (policy.randomizationFactor !== undefined) this.#backoff.setJitter(policy.randomizationFactor);
    this.#exponentCap = exponentCap(this.#backoff.ms, this.#backoff.max);
  }

  #attempt(): void {
    this.#stopTimer = undefined;
    this.#emit("reconnect_attempt", this.#attempts);
    // A `reconnect_attempt` listener may have closed the Manager.
    if (!this.active) return;
    this.#tryOpen((err) => {
      this.active = false;
      if (err) {
        this.schedule();
        this.#emit("reconnect_error", err);
      } else {
        const attempt = this.#attempts;
        this.reset();
        this.#emit("reconnect", attempt);
      }
    });
  }
}
