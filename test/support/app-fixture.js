// An app of its own that depends on one package, for bundling `rtio` (or socket.io-client) the
// way an app's bundler would: a temp dir with node_modules/<name> linked to the package and an
// entry file. Plain JS, since karma.conf.js uses it too (with the bundle test and the bench).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * @param {string} name the package name the entry imports
 * @param {string} packageDir where that package is
 * @param {string} source the entry's source
 * @param {string} [dir] a dir to use (created if need be) instead of a new temp dir
 */
export function appWith(name, packageDir, source, dir = mkdtempSync(join(tmpdir(), "rtio-app-"))) {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(packageDir, join(dir, "node_modules", name), "dir");
  const entry = join(dir, "app-entry.js");
  writeFileSync(entry, source);
  return { dir, entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
