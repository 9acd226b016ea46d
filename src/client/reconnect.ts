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
 * The reconnect loop: waits an exponential, jittered delay (backo2), tries once through
 * `tryOpen`, and starts over on failure until `attempts` are spent. The attempt count is
 * reset when a try succeeds, and by the Manager whenever a connection closes.
 */
export class Reconnector {
  /** True from the moment a try is scheduled until it succeeds, fails for good or is stopped. */
  active = false;
  readonly #backoff: Backoff;
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
  }

  /** How many tries have been scheduled since the last reset. */
  get attempts(): number {
    return this.#backoff.attempts;
  }

  /** Schedules the next try, or reports `reconnect_failed` once the attempts are spent. */
  schedule(): void {
    if (this.active) return;
    if (this.#backoff.attempts >= this.#attemptsMax) {
      this.#backoff.reset();
      this.#emit("reconnect_failed");
      return;
    }
    this.active = true;
    this.#stopTimer = startTimer(this.#timers, this.#backoff.duration(), () => this.#attempt(), this.#unref);
  }

  /** Cancels a scheduled try; the attempt count stays. */
  stop(): void {
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    this.active = false;
  }

  reset(): void {
    this.#backoff.reset();
  }

  set(policy: Partial<ReconnectPolicy>): void {
    if (policy.attempts !== undefined) this.#attemptsMax = policy.attempts;
    if (policy.delay !== undefined) this.#backoff.setMin(policy.delay);
    if (policy.delayMax !== undefined) this.#backoff.setMax(policy.delayMax);
    if (policy.randomizationFactor !== undefined) this.#backoff.setJitter(policy.randomizationFactor);
  }

  #attempt(): void {
    this.#stopTimer = undefined;
    this.#emit("reconnect_attempt", this.#backoff.attempts);
    // A `reconnect_attempt` listener may have closed the Manager.
    if (!this.active) return;
    this.#tryOpen((err) => {
      this.active = false;
      if (err) {
        this.schedule();
        this.#emit("reconnect_error", err);
      } else {
        const attempt = this.#backoff.attempts;
        this.#backoff.reset();
        this.#emit("reconnect", attempt);
      }
    });
  }
}
