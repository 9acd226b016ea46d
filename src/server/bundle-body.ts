import { readFile, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { brotliCompress, constants, deflate, gzip } from "node:zlib";
import { engineDependency } from "./engine-dependency.js";

/** What a bundle is sent as: compressed as the client accepts, or as it is. */
export type BundleEncoding = "br" | "gzip" | "deflate" | "identity";

// socket.io's offer; its order only decides what a wildcard (`*`) gets.
const OFFERED = ["br", "gzip", "deflate"] as const;

type Accepts = (req: { headers: Record<string, string | undefined> }) => { encodings(offered: readonly string[]): string | false };
let accepts: Accepts | undefined;

/**
 * The encoding to send for an Accept-Encoding header, chosen as socket.io chooses it: the
 * client's q-values, then the client's own order. Through the `accepts` package engine.io itself
 * negotiates with, so rtio needs no dependency of its own for it.
 */
export function bundleEncoding(acceptEncoding: string | undefined): BundleEncoding {
  accepts ??= engineDependency<Accepts>("accepts");
  return (accepts({ headers: { "accept-encoding": acceptEncoding } }).encodings(OFFERED) || "identity") as BundleEncoding;
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

const COMPRESS: Record<Exclude<BundleEncoding, "identity">, (data: Buffer) => Promise<Buffer>> = {
  // The best ratios: each body is compressed once per file version, not per request.
  br: (data) => brotliAsync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  gzip: (data) => gzipAsync(data, { level: constants.Z_BEST_COMPRESSION }),
  deflate: (data) => deflateAsync(data, { level: constants.Z_BEST_COMPRESSION }),
};

interface Cached {
  mtimeMs: number;
  size: number;
  bodies: Map<BundleEncoding, Promise<Buffer>>;
}

/**
 * The bundles a process has served, by path. socket.io reads and compresses the file on every
 * request (brotli at its default quality takes tens of milliseconds per bundle); here each body
 * is made once, shared by concurrent requests, and made again only when the file changes (a
 * rebuild). At most the eight bundle files, in four encodings each.
 */
const cache = new Map<string, Cached>();

/** The body of `file` in `encoding`, or undefined if the file cannot be read (not built). */
export async function bundleBody(file: string, encoding: BundleEncoding): Promise<Buffer | undefined> {
  try {
    const { mtimeMs, size } = await stat(file);
    let entry = cache.get(file);
    if (!entry || entry.mtimeMs !== mtimeMs || entry.size !== size) cache.set(file, (entry = { mtimeMs, size, bodies: new Map() }));
    let body = entry.bodies.get(encoding);
    if (!body) {
      const identity = entry.bodies.get("identity") ?? readFile(file);
      entry.bodies.set("identity", identity);
      body = encoding === "identity" ? identity : identity.then(COMPRESS[encoding]);
      entry.bodies.set(encoding, body);
      // A failed read is not kept: the next request tries again.
      const current = entry;
      body.catch(() => current.bodies.clear());
    }
    return await body;
  } catch {
    return undefined;
  }
}
