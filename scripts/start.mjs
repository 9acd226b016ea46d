#!/usr/bin/env node
// `npm start`: builds the client bundles if dist/ is missing or older than the sources, then
// runs the chat demo (examples/chat/server.ts, through tsx) until Ctrl-C.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const BUNDLE = join(root, "dist", "rtio.min.js");
const SOURCES = ["src", "rollup.config.js", "package.json", "tsconfig.build.json"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

const stale = !existsSync(BUNDLE) || Math.max(...SOURCES.map((s) => newestMtime(join(root, s)))) > statSync(BUNDLE).mtimeMs;
if (stale) {
  console.log("building the client bundles (npm run build)…");
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0 || !existsSync(BUNDLE)) {
    console.error("npm run build failed: the page needs dist/rtio.min.js, see the errors above.");
    process.exit(1);
  }
}

const child = spawn(process.execPath, ["--import", "tsx", join(root, "examples/chat/server.ts")], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
