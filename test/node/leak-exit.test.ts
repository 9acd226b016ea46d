// `io.close()` and `socket.disconnect()` leave nothing behind: a process that calls them
// (and nothing else) exits on its own. Run in children, so nothing of the test runner
// keeps them alive.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("../support/hostile-exit-child.ts", import.meta.url));

/** Runs the child; resolves with how it ended. The kill is only a safety net for a hang. */
function run(mode: string): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const safety = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code, signal) => {
      clearTimeout(safety);
      resolve({ code, signal, out, err });
    });
  });
}

describe("leaks: the process can exit", { timeout: 120_000 }, () => {
  for (const mode of ["both", "server", "client"]) {
    const what = { both: "socket.disconnect() and io.close()", server: "io.close() alone (clients without reconnection left connected)", client: "socket.disconnect() alone (then the http server closed)" }[mode];
    it(`after ${what}, nothing holds the process`, async () => {
      const r = await run(mode);
      assert.equal(r.signal, null, `the child hung and was killed\n${r.err.slice(-2_000)}`);
      assert.equal(r.code, 0, r.err.slice(-2_000));
      assert.deepEqual(JSON.parse(r.out.trim().split("\n").at(-1)!), { reply: 1, mode });
    });
  }
});
