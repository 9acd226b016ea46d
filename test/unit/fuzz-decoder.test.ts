// Bounded property-based fuzzing of the decoder, in every `npm test`: valid, mutated and
// random input never makes an exception other than a ParserError escape, never pollutes a
// built-in prototype, and always gets the same verdict. `npm run fuzz` runs the same
// properties for much longer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DECODER_PROPERTIES, checkInput, runProperty } from "../fuzz/properties.js";
import { HOSTILE_FRAGMENTS } from "../fuzz/inputs.js";
import { verdict } from "../fuzz/verdict.js";

const CASES = Number(process.env.RTIO_FUZZ_CASES ?? 1_500);
// A fresh seed each run widens coverage over time; the seed is in the failure message.
const SEED = Number(process.env.RTIO_FUZZ_SEED ?? Date.now() % 2 ** 31);

describe("fuzz: decoder", { timeout: 120_000 }, () => {
  for (const p of DECODER_PROPERTIES) {
    it(`${p.name} (${CASES} cases)`, () => {
      const outcome = runProperty(p, CASES, SEED);
      assert.equal(outcome.failed, false, `seed ${SEED}: ${outcome.error}\ncounterexample: ${outcome.counterexample}`);
      assert.equal(outcome.cases, CASES);
    });
  }

  it("every hostile fragment, alone and after each packet type, is refused or decoded cleanly", () => {
    for (const fragment of HOSTILE_FRAGMENTS) {
      for (const head of ["", "0", "1", "2", "3", "4", "5", "6", "21", "31", "51-", "61-1", "2/admin,", "51-/admin,7"]) {
        assert.equal(checkInput([head + fragment]), undefined, JSON.stringify(head + fragment.slice(0, 40)));
        assert.equal(checkInput([head + fragment, Buffer.from([1])]), undefined, JSON.stringify(head + fragment.slice(0, 40)));
      }
    }
  });

  it("__proto__ and constructor keys stay own data, never the prototype", () => {
    const v = verdict(['51-["ev",{"__proto__":{"_placeholder":true,"num":0},"constructor":{"prototype":{"polluted":1}}}]', Buffer.from([7])]);
    assert.equal(v.error, undefined);
    const data = (v.packets[0] as { data: unknown[] }).data[1] as Record<string, unknown>;
    assert.deepEqual(Object.keys(data), ["__proto__", "constructor"]);
    assert.deepEqual(data["__proto__"], { $bin: "07" });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("refuses what it must, with the code that says why", () => {
    const cases: Array<[unknown[], string]> = [
      [["51-[\"ev\",{\"_placeholder\":true,\"num\":3}]", Buffer.from([1])], "INVALID_PLACEHOLDER"],
      [["511-[\"ev\"]"], "TOO_MANY_ATTACHMENTS"],
      [["2" + "[".repeat(5_000)], "INVALID_JSON"],
      [["51-" + "[".repeat(20_000) + '{"_placeholder":true,"num":0}' + "]".repeat(20_000), Buffer.from([1])], "INVALID_PAYLOAD"],
      [[Buffer.from([1])], "UNEXPECTED_BINARY"],
      [[{}], "UNKNOWN_INPUT"],
      [["2[\"disconnect\"]"], "INVALID_PAYLOAD"],
      [["2[null]"], "INVALID_PAYLOAD"],
    ];
    for (const [input, code] of cases) {
      const v = verdict(input);
      assert.equal(v.crash, undefined, String(input[0]).slice(0, 30));
      assert.equal(v.error, code, String(input[0]).slice(0, 30));
    }
  });
});
