// The browser run of `npm test`: the specs of test/browser/specs, bundled by esbuild, in
// headless Chromium (Debian's, driven by playwright-core) and Firefox ESR, against the
// companion servers (rtio's and the official socket.io 4.8 server) that test/browser/
// karma-plugin.js starts for the run. Needs `npm run build` first (dist/ bundles).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import rtio, { CHROMIUM } from "./test/browser/karma-plugin.js";
import { appWith } from "./test/support/app-fixture.js";

const root = fileURLToPath(new URL(".", import.meta.url));
const FIREFOX = process.env.FIREFOX_BIN || "/usr/bin/firefox-esr";
// The bundles under test; RTIO_KARMA_DIST points a local run at another build's output.
const DIST = process.env.RTIO_KARMA_DIST || join(root, "dist");
/** The URL karma serves a file at: /base/ under basePath, /absolute/ elsewhere. */
const served = (path) => (path.startsWith(root) ? `/base/${path.slice(root.length)}` : `/absolute${path}`);

/** Stops the run with a message that says what to do, and tells scripts/test.mjs why. */
function refuse(message) {
  if (process.env.RTIO_KARMA_COUNTS) {
    writeFileSync(process.env.RTIO_KARMA_COUNTS, JSON.stringify({ passed: 0, failed: 1, failures: [`browser: ${message}`] }));
  }
  throw new Error(message);
}

function checkPrerequisites() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM}): apt-get install chromium`);
  if (!existsSync(FIREFOX)) missing.push(`Firefox ESR (${FIREFOX}): apt-get install firefox-esr`);
  if (missing.length) refuse(`missing browsers, install the Debian packages (scripts/setup.sh does):\n  ${missing.join("\n  ")}`);
  for (const file of ["rtio.min.js", "rtio.esm.min.js", "rtio.msgpack.min.js", "browser/index.js"]) {
    if (!existsSync(join(DIST, file))) refuse(`${join(DIST, file)} is missing: run \`npm run build\` first`);
  }
}

/** Bundles the specs and the worker script into a fresh temp dir; returns their paths. */
function bundleSpecs() {
  const out = mkdtempSync(join(tmpdir(), "rtio-karma-specs-"));
  process.on("exit", () => rmSync(out, { recursive: true, force: true }));
  const common = { bundle: true, format: "iife", target: "es2020", sourcemap: "inline", logLevel: "warning" };
  buildSync({ ...common, entryPoints: [join(root, "test/browser/specs/index.ts")], outfile: join(out, "specs.js") });
  buildSync({ ...common, entryPoints: [join(root, "test/browser/worker.ts")], outfile: join(out, "worker.js") });
  return { specs: join(out, "specs.js"), worker: join(out, "worker.js"), app: bundleApp(out) };
}

/**
 * What an app that imports `rtio` gets from its own bundler: `rtio` is resolved as a package
 * (through node_modules, with the "browser" condition of its exports), and bundled and
 * minified with its dependencies, as Vite or webpack would.
 */
function bundleApp(out) {
  const app = appWith("rtio", root, 'export * from "rtio";\nexport { default } from "rtio";\n', out);
  buildSync({
    absWorkingDir: app.dir,
    entryPoints: [app.entry],
    outfile: join(out, "app.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    target: "es2022",
    sourcemap: true,
    logLevel: "warning",
  });
  return join(out, "app.js");
}

export default function (config) {
  checkPrerequisites();
  const bundled = bundleSpecs();
  process.env.FIREFOX_BIN = FIREFOX;

  config.set({
    basePath: root,
    frameworks: ["mocha", "rtio"],
    plugins: ["karma-mocha", "karma-firefox-launcher", rtio],
    files: [
      { pattern: join(DIST, "rtio.min.js"), included: true, watched: false },
      { pattern: join(DIST, "rtio.esm.min.js"), included: false, watched: false },
      { pattern: join(DIST, "rtio.msgpack.min.js"), included: false, watched: false },
      { pattern: join(DIST, "*.map"), included: false, watched: false },
      // The official client, for RTIO_KARMA_REFERENCE=1 runs that check the specs themselves.
      { pattern: "node_modules/socket.io-client/dist/socket.io.esm.min.js*", included: false, watched: false },
      { pattern: bundled.specs, included: true, watched: false },
      { pattern: bundled.worker, included: false, watched: false },
      { pattern: bundled.app, included: false, watched: false },
    ],
    beforeMiddleware: ["rtio-config"],
    client: {
      mocha: { timeout: 15_000 },
      rtio: {
        workerUrl: served(bundled.worker),
        classicUrl: served(join(DIST, "rtio.min.js")),
        esmUrl: served(join(DIST, "rtio.esm.min.js")),
        msgpackUrl: served(join(DIST, "rtio.msgpack.min.js")),
        appUrl: served(bundled.app),
        referenceUrl: served(join(root, "node_modules/socket.io-client/dist/socket.io.esm.min.js")),
        reference: process.env.RTIO_KARMA_REFERENCE === "1",
      },
    },
    // RTIO_KARMA_BROWSERS=ChromiumPlaywright (or FirefoxHeadlessRtio) narrows a local run.
    browsers: process.env.RTIO_KARMA_BROWSERS?.split(",") ?? ["ChromiumPlaywright", "FirefoxHeadlessRtio"],
    customLaunchers: {
      FirefoxHeadlessRtio: {
        base: "FirefoxHeadless",
        prefs: {
          // Keep Firefox off the network and quiet: no updates, telemetry or captive portal checks.
          "app.update.enabled": false,
          "network.captive-portal-service.enabled": false,
          "network.connectivity-service.enabled": false,
          "datareporting.policy.dataSubmissionEnabled": false,
          "toolkit.telemetry.enabled": false,
          "browser.safebrowsing.malware.enabled": false,
          "browser.safebrowsing.phishing.enabled": false,
          "network.dns.disablePrefetch": true,
        },
      },
    },
    // progress redraws one line on a terminal; in a log (CI) it would print one per spec.
    reporters: [process.stdout.isTTY ? "progress" : "dots", "rtio-counts"],
    hostname: "127.0.0.1",
    listenAddress: "127.0.0.1",
    port: 9876,
    singleRun: true,
    autoWatch: false,
    // One browser at a time: gentler on a loaded 2-core machine.
    concurrency: 1,
    captureTimeout: 120_000,
    browserNoActivityTimeout: 120_000,
    browserDisconnectTimeout: 30_000,
    browserDisconnectTolerance: 0,
    processKillTimeout: 10_000,
  });
}
