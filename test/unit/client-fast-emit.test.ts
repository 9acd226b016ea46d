// fastEmit must behave as component-emitter's emit: listeners, order, arguments (count
// included), the snapshot taken before the first call, and `this`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Emitter } from "@socket.io/component-emitter";
import { fastEmit } from "../../src/client/fast-emit.js";

type Call = [string, unknown, number, unknown[]];

/** Runs `scenario` on an emitter whose emit is `emit`, recording every listener call. */
function record(emit: "reference" | "fast", scenario: (e: Emitter<any, any>, calls: Call[]) => void): Call[] {
  const e = new Emitter<any, any>();
  if (emit === "fast") (e as unknown as { emit: unknown }).emit = fastEmit;
  const calls: Call[] = [];
  scenario(e, calls);
  return calls;
}

function listener(name: string, calls: Call[]) {
  return function (this: unknown, ...args: unknown[]) {
    calls.push([name, this === undefined ? "none" : "emitter", args.length, args]);
  };
}

const SCENARIOS: Record<string, (e: Emitter<any, any>, calls: Call[]) => void> = {
  "no listener": (e) => e.emit("x", 1),
  "one listener, 0 to 4 arguments": (e, calls) => {
    e.on("x", listener("a", calls));
    e.emit("x");
    e.emit("x", 1);
    e.emit("x", 1, undefined);
    e.emit("x", 1, 2, 3);
    e.emit("x", "a", "b", "c", "d");
  },
  "several listeners in order, once among them": (e, calls) => {
    e.on("x", listener("a", calls));
    e.once("x", listener("b", calls));
    e.on("x", listener("c", calls));
    e.emit("x", 1);
    e.emit("x", 2);
  },
  "a listener removing the next one still lets it run this time (snapshot)": (e, calls) => {
    const c = listener("c", calls);
    e.on("x", () => {
      calls.push(["a", "emitter", 0, []]);
      e.off("x", c);
    });
    e.on("x", c);
    e.emit("x", 1);
    e.emit("x", 2);
  },
  "a listener added during an emit runs from the next one": (e, calls) => {
    e.on("x", () => {
      calls.push(["a", "emitter", 0, []]);
      e.on("x", listener("late", calls));
    });
    e.emit("x");
    e.emit("x");
  },
  "events with the same prefix stay apart": (e, calls) => {
    e.on("data", listener("data", calls));
    e.on("dat", listener("dat", calls));
    e.emit("data", 1);
    e.emit("dat", 2);
    e.emit("$data", 3);
  },
  "after every listener is removed": (e, calls) => {
    const a = listener("a", calls);
    e.on("x", a);
    e.off("x", a);
    e.emit("x", 1);
  },
};

describe("client fastEmit: the same as component-emitter's emit", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(name, () => {
      assert.deepEqual(record("fast", scenario), record("reference", scenario));
    });
  }

  it("returns the emitter", () => {
    const e = new Emitter<any, any>();
    assert.equal(fastEmit.call(e as never, "x", 1), e);
  });
});
