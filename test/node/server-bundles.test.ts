// The client bundles as the server sends them: compressed as the client accepts (chosen as
// socket.io 4.8 chooses), 304 on a strong or weak ETag, and each body made once per file
// version. Raw http requests, so the test, not fetch, sets Accept-Encoding.
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get, createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { Server as OfficialServer } from "socket.io";
import { bundleBody, bundleEncoding } from "../../src/server/bundle-body.js";
import { Server } from "../../src/server/index.js";
import { endPendingCloses } from "../support/official-server.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
const MIN_JS = readFileSync(new URL("../../dist/rtio.min.js", import.meta.url));

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function request(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

const DECODE: Record<string, (b: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync, deflate: inflateSync };

describe("server: the client bundles over HTTP", { timeout: 60_000 }, () => {
  const servers: Array<{ port: number; close: () => Promise<void> }> = [];
  let rtio: number;
  let official: number;

  before(async () => {
    for (const make of [(h: ReturnType<typeof createServer>) => new Server(h), (h: ReturnType<typeof createServer>) => new OfficialServer(h)]) {
      const http = createServer();
      const io = make(http);
      http.listen(0, "127.0.0.1");
      await once(http, "listening");
      servers.push({
        port: (http.address() as AddressInfo).port,
        close: async () => {
          endPendingCloses(io.engine);
          await io.close();
        },
      });
    }
    [rtio, official] = servers.map((s) => s.port) as [number, number];
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  // Accept-Encoding values browsers, proxies and tools send, and edge cases of the grammar.
  const ACCEPTS = [
    "gzip, deflate, br",
    "gzip, deflate, br, zstd",
    "br;q=1.0, gzip;q=0.8, *;q=0.1",
    "gzip;q=1, br;q=0.5",
    "deflate, gzip;q=0.5",
    "gzip",
    "deflate",
    "identity",
    "*",
    "br;q=0, gzip;q=0",
    "compress, x-unknown",
    "",
  ];

  for (const accept of ACCEPTS) {
    it(`Accept-Encoding ${JSON.stringify(accept)}: the encoding socket.io picks, and the bundle's exact bytes`, async () => {
      const headers = accept === "" ? {} : { "accept-encoding": accept };
      const [ours, theirs] = await Promise.all([request(rtio, "/socket.io/socket.io.min.js", headers), request(official, "/socket.io/socket.io.min.js", headers)]);
      assert.equal(ours.status, 200);
      assert.equal(theirs.status, 200);
      assert.equal(ours.headers["content-encoding"], theirs.headers["content-encoding"]);
      const encoding = ours.headers["content-encoding"];
      const body = encoding === undefined ? ours.body : DECODE[encoding]!(ours.body);
      assert.ok(body.equals(MIN_JS), "the body is dist/rtio.min.js");
      // Known length (no chunking), and a cache must key the body on Accept-Encoding.
      assert.equal(Number(ours.headers["content-length"]), ours.body.length);
      assert.equal(ours.headers.vary, "Accept-Encoding");
      if (encoding !== undefined) assert.ok(ours.body.length < MIN_JS.length / 2, `${encoding} shrinks the bundle`);
    });
  }

  it("answers 304 to the version's ETag, strong or weak (as a compressing proxy makes it), like socket.io", async () => {
    for (const etag of [`"${version}"`, `W/"${version}"`]) {
      const ours = await request(rtio, "/socket.io/socket.io.js", { "if-none-match": etag });
      assert.equal(ours.status, 304, etag);
      assert.equal(ours.body.length, 0);
    }
    const stale = await request(rtio, "/socket.io/socket.io.js", { "if-none-match": '"0.0.0-other"' });
    assert.equal(stale.status, 200);
    // socket.io answers a weak ETag of its own version the same way.
    const sioVersion = (JSON.parse(readFileSync(new URL("../../node_modules/socket.io/package.json", import.meta.url), "utf8")) as { version: string }).version;
    const theirs = await request(official, "/socket.io/socket.io.js", { "if-none-match": `W/"${sioVersion}"` });
    assert.equal(theirs.status, 304);
  });

  it("serves the source maps compressed too, as JSON", async () => {
    const res = await request(rtio, "/socket.io/socket.io.min.js.map", { "accept-encoding": "gzip" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.match(res.headers["content-type"]!, /application\/json/);
    assert.doesNotThrow(() => JSON.parse(gunzipSync(res.body).toString("utf8")));
  });
});

describe("server: bundle bodies", () => {
  const dir = mkdtempSync(join(tmpdir(), "rtio-bundle-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("negotiates as socket.io does: q-values, then the client's order; br for a wildcard; identity when none fits", () => {
    assert.equal(bundleEncoding("gzip, deflate, br"), "gzip");
    assert.equal(bundleEncoding("*"), "br");
    assert.equal(bundleEncoding("gzip;q=1, br;q=0.5"), "gzip");
    assert.equal(bundleEncoding("deflate"), "deflate");
    assert.equal(bundleEncoding(undefined), "identity");
    assert.equal(bundleEncoding("br;q=0, gzip;q=0, deflate;q=0"), "identity");
  });

  it("makes each body once, shares it between concurrent requests, and makes it again when the file changes", async () => {
    const file = join(dir, "bundle.js");
    writeFileSync(file, "first version ".repeat(100));
    const [a, b] = await Promise.all([bundleBody(file, "br"), bundleBody(file, "br")]);
    assert.ok(a && a === b, "one brotli body for both requests");
    assert.equal(brotliDecompressSync(a).toString(), "first version ".repeat(100));
    assert.equal(await bundleBody(file, "br"), a, "the next request gets the same body");

    writeFileSync(file, "second version, a different size ".repeat(100));
    const changed = await bundleBody(file, "gzip");
    assert.equal(gunzipSync(changed!).toString(), "second version, a different size ".repeat(100));
    const identity = await bundleBody(file, "identity");
    assert.equal(identity!.toString(), "second version, a different size ".repeat(100));
  });

  it("gives undefined (a 404) for a file that is not there, and serves it once it is", async () => {
    const file = join(dir, "later.js");
    assert.equal(await bundleBody(file, "gzip"), undefined);
    writeFileSync(file, "now built");
    assert.equal(gunzipSync((await bundleBody(file, "gzip"))!).toString(), "now built");
  });
});
