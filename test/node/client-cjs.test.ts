// The CommonJS entry has socket.io-client's shape and shares the ESM build's code. Runs in a
// plain node child (tsx's loader would give require() its own copy). Needs the tsc output in
// dist/lib (npm test builds first); builds it when missing.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
if (!existsSync(root + "dist/lib/client/index.js")) {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { cwd: root });
}

function inNode(script: string): unknown {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  return JSON.parse(out);
}

describe("require('rtio')", () => {
  it("is io, with Manager, Socket, io, connect and protocol, the same objects as the ES module's", () => {
    const got = inNode(`
      import { createRequire } from "node:module";
      import * as esm from "rtio";
      const io = createRequire(import.meta.url)("rtio");
      console.log(JSON.stringify({
        type: typeof io, io: io.io === io, connect: io.connect === io, protocol: io.protocol,
        same: io === esm.default && io === esm.io && io.Manager === esm.Manager && io.Socket === esm.Socket,
      }));`);
    assert.deepEqual(got, { type: "function", io: true, connect: true, protocol: 5, same: true });
  });

  it("creates sockets on a Manager", () => {
    const got = inNode(`
      import { createRequire } from "node:module";
      const io = createRequire(import.meta.url)("rtio");
      const socket = io("http://127.0.0.1:9/admin", { autoConnect: false });
      console.log(JSON.stringify([socket instanceof io.Socket, socket.io instanceof io.Manager, socket.connected]));`);
    assert.deepEqual(got, [true, true, false]);
  });
});
