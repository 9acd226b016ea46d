// Bounded server-level fuzzing in every `npm test` (`npm run fuzz` runs it longer): fuzzed
// packet sequences over raw WebSocket connections to a live server. The process lives,
// every offender is either closed or still served, a healthy client keeps receiving, and no
// prototype changes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzServer } from "../fuzz/server-fuzz.js";

const CASES = Number(process.env.RTIO_FUZZ_SERVER_CASES ?? 300);
const SEED = Number(process.env.RTIO_FUZZ_SEED ?? Date.now() % 2 ** 31);

describe("fuzz: live server", { timeout: 300_000 }, () => {
  it(`${CASES} fuzzed connections: none hangs, none pollutes, the healthy client keeps receiving`, async (t) => {
    const stats = await fuzzServer({ cases: CASES, seed: SEED });
    t.diagnostic(`seed ${SEED}: ${stats.closed} closed, ${stats.alive} alive, ${stats.hung} hung; reasons ${JSON.stringify(stats.reasons)}; ${stats.appEvents} app events`);
    assert.deepEqual(stats.failures, [], `seed ${SEED}`);
    assert.equal(stats.cases, CASES);
    assert.equal(stats.closed + stats.alive, CASES);
    assert.ok(stats.closed > 0 && stats.alive > 0, "the inputs reach both outcomes");
    assert.equal(stats.healthyTicks, Math.floor(CASES / 50) + 1);
  });
});
