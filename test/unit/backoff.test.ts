// The delay policy the reconnect loop gets from backo2: bounds under jitter, as properties.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Reconnector } from "../../src/client/reconnect.js";
import type { Timers } from "../../src/client/timers.js";

/** Records the delay of each scheduled try, and fails every try so the next is scheduled. */
function delays(delay: number, delayMax: number, randomizationFactor: number, n: number): number[] {
  const seen: number[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      seen.push(ms);
      if (seen.length < n) fn();
      return 0;
    },
    clearTimeout: () => {},
  };
  const r = new Reconnector(Infinity, { delay, delayMax, randomizationFactor }, (done) => done(new Error("down")), () => {}, timers, false);
  r.schedule();
  return seen;
}

describe("reconnection backoff", () => {
  it("without jitter: delay · 2^attempt, capped at delayMax", () => {
    assert.deepEqual(delays(100, 1000, 0, 6), [100, 200, 400, 800, 1000, 1000]);
  });

  it("with jitter: each delay within ±factor of the base, never above delayMax", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (delay, delayMax, factor) => {
          const got = delays(delay, delayMax, factor, 8);
          got.forEach((ms, attempt) => {
            const base = delay * 2 ** attempt;
            assert.ok(ms <= delayMax, `${ms} > max ${delayMax}`);
            assert.ok(ms >= Math.min(Math.floor(base * (1 - factor)) - 1, delayMax), `${ms} below the jitter range of ${base}`);
            assert.ok(Number.isInteger(ms));
          });
        },
      ),
    );
  });
});
