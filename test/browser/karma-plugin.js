// Karma plugins of the browser run:
// - framework `rtio`: forks the companion servers (test/support/browser-servers.ts) for the
//   run and closes them when karma exits;
// - middleware `rtio-config`: `/rtio-config.json`, the servers' URLs, answered once they listen
//   (the specs fetch it in their first hook, so nothing races the servers' start);
// - reporter `rtio-counts`: a line per browser with its passed and failed counts, and the
//   JSON that scripts/test.mjs reads (RTIO_KARMA_COUNTS);
// - launcher `ChromiumPlaywright`: Debian's Chromium driven by playwright-core.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../..", import.meta.url));

// ── companion servers ────────────────────────────────────────────────────────────────────
let servers; // { config: Promise<object>, close(): Promise<void> }

function startServers() {
  const child = fork(join(root, "test/support/browser-servers.ts"), [], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const config = new Promise((resolve) => {
    child.once("message", resolve);
    exited.then((code) => resolve({ flavours: [], error: `companion servers exited early (code ${code})` }));
  });
  return {
    config,
    async close() {
      if (child.exitCode === null && child.connected) child.send("close");
      await exited;
    },
  };
}

function rtioFramework(config, emitter) {
  servers = startServers();
  emitter.on("exit", (done) => {
    servers.close().then(() => done(), () => done());
  });
}
rtioFramework.$inject = ["config", "emitter"];

function configMiddleware() {
  return (req, res, next) => {
    if (!req.url.startsWith("/rtio-config.json")) return next();
    servers.config.then((config) => {
      res.setHeader("Content-Type", "application/json");
      res.setHeader("Cache-Control", "no-store");
      res.end(JSON.stringify(config));
    });
  };
}

// ── counts reporter ──────────────────────────────────────────────────────────────────────
function CountsReporter(baseReporterDecorator, config, emitter) {
  baseReporterDecorator(this);
  const expected = config.browsers.slice();
  const perBrowser = new Map(); // browser id -> { name, passed, failed }
  const failures = [];
  const path = process.env.RTIO_KARMA_COUNTS;

  const entry = (browser) => {
    if (!perBrowser.has(browser.id)) perBrowser.set(browser.id, { name: browser.name, passed: 0, failed: 0 });
    return perBrowser.get(browser.id);
  };
  const write = () => {
    const list = [...perBrowser.values()];
    const passed = list.reduce((n, b) => n + b.passed, 0);
    let failed = list.reduce((n, b) => n + b.failed, 0);
    const all = failures.slice();
    // A browser that never reported is a failure, not a silent skip.
    const ran = list.length;
    if (ran < expected.length) {
      failed += expected.length - ran;
      all.push(`only ${ran} of ${expected.length} browsers (${expected.join(", ")}) reported`);
    }
    if (path) writeFileSync(path, JSON.stringify({ passed, failed, failures: all }));
  };

  this.onSpecComplete = (browser, result) => {
    const b = entry(browser);
    if (result.skipped) return;
    if (result.success) b.passed++;
    else {
      b.failed++;
      failures.push(`${browser.name}: ${[...result.suite, result.description].join(" > ")}`);
    }
  };
  this.onBrowserError = (browser, error) => {
    entry(browser).failed++;
    failures.push(`${browser.name}: ${typeof error === "string" ? error : JSON.stringify(error)}`.slice(0, 500));
  };
  this.onRunComplete = () => {
    this.write("\n");
    for (const b of perBrowser.values()) this.write(`${b.name}: ${b.passed} passed, ${b.failed} failed\n`);
    write();
  };
  // Also at exit: a run that never completed (a browser that did not start) still reports.
  emitter.on("exit", (done) => {
    write();
    done();
  });
  write();
}
CountsReporter.$inject = ["baseReporterDecorator", "config", "emitter"];

// ── Chromium through playwright-core ─────────────────────────────────────────────────────
export const CHROMIUM = "/usr/bin/chromium";

function ChromiumPlaywright(baseLauncherDecorator, captureTimeoutLauncherDecorator, retryLauncherDecorator, logger) {
  baseLauncherDecorator(this);
  captureTimeoutLauncherDecorator(this);
  retryLauncherDecorator(this);
  const log = logger.create("launcher.chromium");
  this.name = "ChromiumPlaywright";
  let browser;
  let profile;

  this.on("start", (url) => {
    profile = mkdtempSync(join(tmpdir(), "rtio-chromium-"));
    chromium
      // launchPersistentContext gives the fresh --user-data-dir; launch() would reject the flag.
      .launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic",
        ],
      })
      .then(async (context) => {
        browser = context;
        // A browser that goes away on its own is a crash, as karma's process launchers report.
        context.on("close", () => {
          if (browser === context) {
            browser = undefined;
            this._done("crashed");
          }
        });
        const page = context.pages()[0] ?? (await context.newPage());
        page.on("crash", () => log.error("Chromium page crashed"));
        await page.goto(url);
      })
      .catch((err) => {
        log.error(`Chromium (${CHROMIUM}) did not start: ${err.message}`);
        this._done("failure");
      });
  });

  this.on("kill", (done) => {
    const closing = browser ? browser.close() : Promise.resolve();
    browser = undefined;
    closing
      .catch(() => {})
      .then(() => {
        if (profile) rmSync(profile, { recursive: true, force: true });
        profile = undefined;
        // `done` lets karma's concurrency queue start the next browser.
        this._done();
        done();
      });
  });
}
ChromiumPlaywright.$inject = ["baseLauncherDecorator", "captureTimeoutLauncherDecorator", "retryLauncherDecorator", "logger"];

export default {
  "framework:rtio": ["factory", rtioFramework],
  "middleware:rtio-config": ["factory", configMiddleware],
  "reporter:rtio-counts": ["type", CountsReporter],
  "launcher:ChromiumPlaywright": ["type", ChromiumPlaywright],
};
