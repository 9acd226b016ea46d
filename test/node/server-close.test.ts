import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const child = fileURLToPath(new URL("../support/server-close-child.ts", import.meta.url));

describe("server: close()", { timeout: 60_000 }, () => {
  it("leaves nothing behind: a process that calls io.close() exits by itself", async () => {
    const proc = spawn(process.execPath, ["--import", "tsx", child], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout.on("data", (d: Buffer) => (out += d));
    proc.stderr.on("data", (d: Buffer) => (err += d));
    // Safety net only: a child still running after this is the failure being tested for.
    const killer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      proc.once("exit", (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    assert.equal(signal, null, `the child had to be killed: it did not exit by itself\n${out}${err}`);
    assert.equal(code, 0, err);
    assert.equal(out.trim(), "closed socket has been disconnected SERVER_CLOSED");
  });
});
