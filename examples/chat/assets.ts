// The page's files: public/ as is, and client/main.ts compiled for the browser by esbuild once at
// start (so a fresh clone needs no extra build step for the page).
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/** The page script, compiled from TypeScript; `io` comes from the server's /socket.io/socket.io.min.js. */
export async function compileClient(): Promise<{ js: string; map: string }> {
  const result = await build({
    entryPoints: [join(here, "client", "main.ts")],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
    sourcemap: "external",
    outfile: "app.js",
    minify: true,
    logLevel: "silent",
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
  const map = result.outputFiles.find((f) => f.path.endsWith(".map"))!.text;
  return { js, map };
}

/**
 * Serves files of `root` under `prefix`; returns false when the request is not for it. The path
 * is normalised and must stay inside `root`, so `/../` cannot read the rest of the disk.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, prefix: string, root: string): Promise<boolean> {
  const pathname = decodeURIComponent((req.url ?? "/").split("?", 1)[0]!);
  if (!pathname.startsWith(prefix)) return false;
  let rel = pathname.slice(prefix.length);
  if (rel === "" || rel.endsWith("/")) rel += "index.html";
  rel = normalize(rel).replace(/^[/\\]+/, "");
  if (rel.startsWith("..")) return false;
  try {
    const body = await readFile(join(root, rel));
    res.writeHead(200, { "Content-Type": TYPES[extname(rel)] ?? "application/octet-stream" });
    res.end(body);
    return true;
  } catch {
    return false;
  }
}

export const PUBLIC_DIR = join(here, "public");
