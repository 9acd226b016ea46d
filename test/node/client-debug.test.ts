// Logging goes through `debug` under rtio:client:*, and is silent unless DEBUG asks for it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const script = `
  import { Manager } from "./src/client/index.ts";
  const m = new Manager("http://127.0.0.1:9", { reconnection: false, autoConnect: false });
  m.open(() => m._close());`;

function run(env: Record<string, string>): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DEBUG_COLORS: "0", ...env },
  });
  return r.stderr;
}

describe("autoUnref", () => {
  it("lets a process exit while its client waits to reconnect", () => {
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { io } from "./src/client/index.ts";
         const s = io("http://127.0.0.1:9", { autoUnref: true, reconnectionDelay: 60000, reconnectionDelayMax: 60000 });
         s.on("connect_error", () => console.log("connect_error"));`,
      ],
      { cwd: root, encoding: "utf8", timeout: 30_000 },
    );
    assert.equal(r.signal, null, "exited by itself, not killed by the timeout");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /connect_error/);
  });
});

describe("client logging", () => {
  it("is silent by default", () => {
    assert.doesNotMatch(run({ DEBUG: "" }), /rtio:/);
  });

  it("logs under rtio:client:* when DEBUG asks", () => {
    const out = run({ DEBUG: "rtio:client:*" });
    assert.match(out, /rtio:client:manager opening http:\/\/127\.0\.0\.1:9/);
    assert.match(out, /rtio:client:manager connect error/);
  });
});
