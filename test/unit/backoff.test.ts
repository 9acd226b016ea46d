// The delay policy the reconnect loop gets from backo2 (exponent capped): bounds under jitter, as properties.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { exponentCap, Reconnector } from "../../src/client/reconnect.js";
import { later, type Timers } from "../../src/client/timers.js";

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
  const r = new Reconnector({
    opts: { reconnectionDelay: delay, reconnectionDelayMax: delayMax, randomizationFactor },
    open: (done) => done(new Error("down")),
    emitReserved: () => {},
    _later: later(timers),
  });
  r.schedule();
  return seen;
}

describe("reconnection backoff", () => {
  it("without jitter: delay · 2^attempt, capped at delayMax", () => {
    assert.deepEqual(delays(100, 1000, 0, 6), [100, 200, 400, 800, 1000, 1000]);
  });

  it("with jitter: each delay within ±factor of the base (its exponent capped), never above delayMax", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (delay, delayMax, factor) => {
          const got = delays(delay, delayMax, factor, 8);
          got.forEach((ms, attempt) => {
            const base = delay * 2 ** Math.min(attempt, exponentCap(delay, delayMax));
            assert.ok(ms <= delayMax, `${ms} > max ${delayMax}`);
            assert.ok(ms >= Math.min(Math.floor(base * (1 - factor)) - 1, delayMax), `${ms} below the jitter range of ${base}`);
            assert.ok(Number.isInteger(ms));
          });
        },
      ),
    );
  });
});

describe("reconnection backoff: the exponent cap", () => {
  const rows: Array<[number, number, number]> = [
    // delay, delayMax, first exponent whose base reaches delayMax
    [1000, 5000, 3],
    [1000, 1000, 0],
    [1000, 500, 0],
    [100, 1000, 4],
    [1, 2 ** 40, 30],
    [0, 5000, 0],
  ];
  for (const [delay, delayMax, cap] of rows) {
    it(`delay ${delay}, delayMax ${delayMax}: ${cap}`, () => assert.equal(exponentCap(delay, delayMax), cap));
  }

  it("after 300 failed attempts every delay is still a number within its bounds, with jitter", () => {
    const seen = delays(1000, 5000, 0.5, 300).slice(10);
    assert.ok(seen.every((ms) => Number.isFinite(ms) && ms >= 4000 && ms <= 5000), `out of bounds: ${seen.find((ms) => !(ms >= 4000 && ms <= 5000))}`);
    assert.ok(new Set(seen).size > 10, "jitter left at the cap");
  });
});
