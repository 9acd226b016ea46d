// The reconnect loop alone, under fake timers: delays, events, attempt limit and reset.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Reconnector, type ReconnectEvents, type ReconnectPolicy } from "../../src/client/reconnect.js";
import { later, type Timers } from "../../src/client/timers.js";

/** Timers that run only when the test advances the clock. */
class FakeClock implements Timers {
  now = 0;
  private pending = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  delays: number[] = [];

  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Runs every timer due by `now + ms`, in order. */
  tick(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = until;
  }
}

function setup(opts: { attempts?: number; fail?: (attempt: number) => boolean } = {}) {
  const clock = new FakeClock();
  const events: Array<[keyof ReconnectEvents, ...unknown[]]> = [];
  let tries = 0;
  const policy: ReconnectPolicy = { reconnectionAttempts: opts.attempts ?? Infinity, reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0 };
  const r = new Reconnector({
    opts: policy,
    open: (done) => {
      tries++;
      done(opts.fail?.(tries) ? new Error(`fail ${tries}`) : undefined);
    },
    emitReserved: (ev, ...args) => events.push([ev, ...args]),
    _later: later(clock),
  });
  return { clock, events, r, policy, tries: () => tries };
}

describe("Reconnector", () => {
  it("doubles the delay from reconnectionDelay up to reconnectionDelayMax", () => {
    const { clock, events, r } = setup({ fail: () => true, attempts: 6 });
    r.schedule();
    for (let i = 0; i < 6; i++) clock.tick(5000);
    assert.deepEqual(clock.delays, [1000, 2000, 4000, 5000, 5000, 5000]);
    assert.deepEqual(
      events.filter(([e]) => e === "reconnect_attempt").map(([, n]) => n),
      [1, 2, 3, 4, 5, 6],
    );
    // socket.io-client's order: the loop gives up before the last error is reported.
    assert.deepEqual(events.slice(-2).map(([e]) => e), ["reconnect_failed", "reconnect_error"]);
    assert.equal(clock.size, 0, "no timer left after giving up");
  });

  it("waits the whole delay before a try", () => {
    const { clock, r, tries } = setup();
    r.schedule();
    clock.tick(999);
    assert.equal(tries(), 0);
    clock.tick(1);
    assert.equal(tries(), 1);
  });

  it("reports reconnect_error after each failed try, then reconnect with the attempt count, and resets", () => {
    const { clock, events, r } = setup({ fail: (n) => n < 3 });
    r.schedule();
    clock.tick(1000 + 2000 + 4000);
    assert.deepEqual(
      events.map(([e, a]) => (a instanceof Error ? [e, a.message] : a === undefined ? [e] : [e, a])),
      [
        ["reconnect_attempt", 1],
        ["reconnect_error", "fail 1"],
        ["reconnect_attempt", 2],
        ["reconnect_error", "fail 2"],
        ["reconnect_attempt", 3],
        ["reconnect", 3],
      ],
    );
    assert.equal(r.attempts, 0);
    assert.equal(r.active, false);
    r.schedule();
    assert.equal(clock.delays.at(-1), 1000, "the sequence starts over");
  });

  it("stop() cancels a scheduled try; a listener of reconnect_attempt can stop the try", () => {
    const { clock, r, tries } = setup();
    r.schedule();
    r.stop();
    clock.tick(10_000);
    assert.equal(tries(), 0);
    assert.equal(clock.size, 0);
  });

  it("honours a reconnectionAttempts of 0 at once", () => {
    const { events, r, clock } = setup({ attempts: 0 });
    r.schedule();
    assert.deepEqual(events, [["reconnect_failed"]]);
    assert.equal(clock.size, 0);
  });

  it("reads the policy at each try, so new settings apply to the next delay", () => {
    const { clock, r, policy } = setup({ fail: () => true });
    policy.reconnectionDelay = 100;
    policy.reconnectionDelayMax = 300;
    r.schedule();
    clock.tick(100);
    clock.tick(200);
    clock.tick(300);
    assert.deepEqual(clock.delays, [100, 200, 300, 300]);
  });
});
