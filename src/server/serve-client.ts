import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EventEmitter } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import createDebug from "debug";
import { bundleBody, bundleEncoding } from "./bundle-body.js";
import { engineDependency } from "./engine-dependency.js";

const debug = createDebug("rtio:server:serve-client");

/** The public names socket.io serves, and the bundles of ours that answer them. */
const BUNDLES: Readonly<Record<string, string>> = {
  "socket.io.js": "rtio.js",
  "socket.io.min.js": "rtio.min.js",
  "socket.io.esm.min.js": "rtio.esm.min.js",
  "socket.io.msgpack.min.js": "rtio.msgpack.min.js",
};

interface PackageInfo {
  root: string;
  version: string;
}

let packageInfo: PackageInfo | undefined;

// src/server (tsx) and dist/lib/server (build) sit at different depths: walk up to our package.json.
function findPackage(): PackageInfo {
  if (packageInfo) return packageInfo;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "rtio") return (packageInfo = { root: dir, version: pkg.version ?? "0.0.0" });
    }
    const parent = dirname(dir);
    if (parent === dir) return (packageInfo = { root: process.cwd(), version: "0.0.0" });
    dir = parent;
  }
}

/** The bundle file a request asks for, or undefined if the request is not for a bundle. */
export function bundleFor(path: string, url: string | undefined): string | undefined {
  // Every request of the server passes here (each long-poll too): no allocation until the
  // URL is known to name a file under the path.
  if (!url || !url.startsWith(path) || url.charCodeAt(path.length) !== 47 /* / */) return undefined;
  const query = url.indexOf("?", path.length + 1);
  const name = url.slice(path.length + 1, query === -1 ? url.length : query);
  if (name === "") return undefined;
  const isMap = name.endsWith(".map");
  const bundle = BUNDLES[isMap ? name.slice(0, -4) : name];
  return bundle === undefined ? undefined : bundle + (isMap ? ".map" : "");
}

/** How a bundle request is answered: 304 (the client has it), 404 (not built) or 200 with the file. */
export interface BundleAnswer {
  status: 200 | 304 | 404;
  headers: Record<string, string>;
  /** The body of a 200, in the encoding its headers name. */
  body?: Buffer;
}

/**
 * The answer to a request for `bundle`, with the package version as ETag (a weak one matches
 * too, as proxies that compress make them) and the body compressed as the client accepts.
 */
export async function bundleAnswer(bundle: string, ifNoneMatch: string | undefined, acceptEncoding: string | undefined): Promise<BundleAnswer> {
  const { root, version } = findPackage();
  const etag = `"${version}"`;
  const headers: Record<string, string> = { "Cache-Control": "public, max-age=0", ETag: etag };
  if (ifNoneMatch === etag || ifNoneMatch === "W/" + etag) return { status: 304, headers };
  const encoding = bundleEncoding(acceptEncoding);
  const file = join(root, "dist", bundle);
  const body = await bundleBody(file, encoding);
  if (body === undefined) {
    debug("bundle %s not built", file);
    return { status: 404, headers: {} };
  }
  headers["Content-Type"] = bundle.endsWith(".map") ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8";
  // The body depends on Accept-Encoding: a shared cache must not give one client's to another.
  headers["Vary"] = "Accept-Encoding";
  if (encoding !== "identity") headers["Content-Encoding"] = encoding;
  headers["Content-Length"] = String(body.length);
  return { status: 200, headers, body };
}

/** Serves one bundle with the package version as ETag; a matching If-None-Match gets a 304. */
export function serveBundle(req: IncomingMessage, res: ServerResponse, bundle: string): void {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  bundleAnswer(bundle, header("if-none-match"), header("accept-encoding")).then(
    (answer) => {
      if (res.destroyed) return;
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      res.writeHead(answer.status);
      res.end(answer.body);
    },
    // bundleAnswer settles every failure as a 404; this is for what cannot happen.
    (err: Error) => {
      debug("bundle %s: %s", bundle, err.message);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    },
  );
}

/** A connect-style middleware, as the `cors` package makes them. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The middleware of the server's `cors` option for the bundles, which socket.io applies to them
 * too: a page on another origin fetches an ES module script (`socket.io.esm.min.js`) with CORS.
 * It comes from the `cors` package that engine.io depends on and builds the same option with,
 * so rtio needs no dependency of its own for it.
 */
export function bundleCors(options: unknown): Middleware {
  return engineDependency<(options: unknown) => Middleware>("cors")(options);
}

/**
 * Puts the bundle route in front of every other request listener of `srv` (engine.io's and
 * the app's), so `/socket.io/socket.io.js` is answered even under Express or Koa. `path()`
 * gives the current path, or undefined when serving is off; `cors`, when given, answers
 * preflights and adds its headers first. Returns the undo.
 */
export function attachServe(srv: EventEmitter, path: () => string | undefined, cors?: Middleware): () => void {
  const previous = srv.listeners("request").slice() as Array<(...args: unknown[]) => void>;
  srv.removeAllListeners("request");
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const current = path();
    const bundle = current === undefined ? undefined : bundleFor(current, req.url);
    if (bundle !== undefined) {
      if (cors) return cors(req, res, () => serveBundle(req, res, bundle));
      return serveBundle(req, res, bundle);
    }
    for (const listener of previous) listener.call(srv, req, res);
  };
  srv.on("request", onRequest);
  return () => {
    srv.off("request", onRequest);
    for (const listener of previous) srv.on("request", listener);
  };
}
