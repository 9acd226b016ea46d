import assert from "node:assert/strict";
import { test } from "node:test";
import { Child } from "./proc.js";

const spawn = (args: string[] = [], readyTimeoutMs?: number) =>
  Child.spawn<{ pid: number }>("lib/fixtures/test-child.ts", args, { label: "test child", ...(readyTimeoutMs ? { readyTimeoutMs } : {}) });

test("a call returns the child's value, and a failing handler rejects with its message", async () => {
  const { child, info } = await spawn();
  try {
    assert.equal(typeof info.pid, "number");
    assert.deepEqual(await child.call("echo", { a: 1 }), { a: 1 });
    await assert.rejects(child.call("fail"), /test child: Error: asked to fail/);
    await assert.rejects(child.call("nope"), /unknown command 'nope'/);
  } finally {
    child.kill();
  }
});

test("a call that outlives its timeout rejects naming the child and the command", async () => {
  const { child } = await spawn();
  try {
    await assert.rejects(child.call("hang", null, 50), /test child: 'hang' did not finish within 50 ms/);
  } finally {
    child.kill();
  }
});

test("a child that crashes rejects its pending calls", async () => {
  const { child } = await spawn();
  try {
    await assert.rejects(child.call("crash", null, 10_000), /test child crashed: .*boom/s);
  } finally {
    child.kill();
  }
});

test("a child that never announces ready is killed and reported", async () => {
  await assert.rejects(spawn(["silent"], 1_000), /test child was not ready within 1000 ms/);
});
