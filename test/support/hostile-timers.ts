// Timers a test fires by hand, for rtio's injectable `timers` option: a client can "wait"
// minutes or hours for its next reconnection in a few milliseconds, and the test sees every
// delay the client asked for.
import { EventEmitter, once } from "node:events";
import type { Timers } from "../../src/client/index.js";

interface Pending {
  id: number;
  ms: number;
  fn: () => void;
}

export class ManualTimers extends EventEmitter implements Timers {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** The virtual time: the sum of the delays fired so far. */
  now = 0;

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, ms, fn };
    this.pending.set(timer.id, timer);
    this.emit("scheduled", timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The earliest pending timer, once there is one. */
  async next(): Promise<Pending> {
    while (this.pending.size === 0) await once(this, "scheduled");
    return [...this.pending.values()].reduce((a, b) => (b.ms < a.ms ? b : a));
  }

  /** Advances the virtual clock to `timer` and runs it. */
  fire(timer: Pending): void {
    if (!this.pending.delete(timer.id)) return;
    this.now += timer.ms;
    timer.fn();
  }
}
