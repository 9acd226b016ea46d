#!/usr/bin/env node
// `npm test`: set-up, build, typecheck, then every suite; ends with one summary line and
// exits non-zero if anything failed. `npm test -- unit node` runs only the named stages.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const only = process.argv.slice(2);
const results = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  return r.status === 0;
}

function filesUnder(dir, suffix) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith(suffix) && statSync(join(root, f)).isFile())
    .sort();
}

function step(name, ok) {
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, failures: ok ? [] : [name] });
  if (!ok) console.error(`\n✖ ${name} failed`);
}

function nodeSuite(name, dir) {
  const files = filesUnder(dir, ".test.ts");
  if (files.length === 0) return;
  const out = join(mkdtempSync(join(tmpdir(), "rtio-test-")), "counts.json");
  console.log(`\n── ${name}: ${files.length} files`);
  run(process.execPath, [
    "--import", "tsx", "--test", "--test-concurrency=1",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=./scripts/count-reporter.mjs", `--test-reporter-destination=${out}`,
    ...files,
  ]);
  const counts = existsSync(out) ? JSON.parse(readFileSync(out, "utf8") || "{}") : {};
  const failed = counts.failed ?? 1;
  results.push({ name, passed: counts.passed ?? 0, failed, failures: counts.failures ?? [`${name}: no report`] });
}

const stages = {
  setup: () => step("setup", run("sh", ["scripts/setup.sh"])),
  build: () => step("build", run("npm", ["run", "--silent", "build"])),
  typecheck: () => step("typecheck", run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"])),
  unit: () => nodeSuite("unit", "test/unit"),
  node: () => nodeSuite("node", "test/node"),
  browser: () => {
    if (!existsSync(join(root, "karma.conf.js"))) return;
    const out = join(mkdtempSync(join(tmpdir(), "rtio-karma-")), "counts.json");
    console.log("\n── browser: karma, Chromium and Firefox ESR, against the rtio and socket.io 4.8 servers");
    const ok = run("npx", ["karma", "start", "karma.conf.js"], { env: { ...process.env, RTIO_KARMA_COUNTS: out } });
    const counts = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : { passed: 0, failed: 1, failures: ["browser: no report"] };
    if (!ok && counts.failed === 0) counts.failed = 1;
    results.push({ name: "browser", ...counts });
  },
  cluster: () => nodeSuite("cluster", "test/cluster"),
  demo: () => nodeSuite("demo", "examples/chat/test"),
  // The benchmark harness itself (statistics, IPC children, the raw load generators).
  bench: () => nodeSuite("bench", "bench"),
};

for (const [name, fn] of Object.entries(stages)) {
  if (only.length && !only.includes(name)) continue;
  fn();
  if ((name === "setup" || name === "build") && results.at(-1).failed) break;
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const failures = results.flatMap((r) => r.failures ?? []);
if (failures.length) console.log("\nFailed:\n  " + failures.join("\n  "));
const parts = results.map((r) => `${r.name} ${r.passed}/${r.passed + r.failed}`).join(", ");
console.log(`\nrtio tests: ${passed} passed, ${failed} failed (${parts})`);
process.exit(failed ? 1 : 0);
