// require("rtio/server") as socket.io users write it. Needs the build (`npm run build`, or
// `npx tsc -p tsconfig.build.json`), which `npm test` runs first.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { io as connect } from "socket.io-client";

const require = createRequire(import.meta.url);

describe("server: CommonJS entry", { timeout: 20_000 }, () => {
  it("is a function that creates a Server, with the classes as properties", async () => {
    const rtio = require("rtio/server") as ((srv?: unknown, opts?: object) => any) & Record<string, any>;
    assert.equal(typeof rtio, "function");
    for (const name of ["Server", "Namespace", "Socket", "BroadcastOperator", "RemoteSocket", "Adapter"]) {
      assert.equal(typeof rtio[name], "function", name);
    }
    assert.equal(rtio.protocol, 5);
    const standalone = rtio();
    assert.ok(standalone instanceof rtio.Server);
    await standalone.close();

    const http = createServer();
    const io = rtio(http, { path: "/cjs" });
    assert.ok(io instanceof rtio.Server);
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    io.on("connection", (socket: { emit(ev: string, v: string): void }) => socket.emit("hi", "from cjs"));
    const c = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { path: "/cjs", reconnection: false });
    const msg = await new Promise((resolve) => c.once("hi", resolve));
    assert.equal(msg, "from cjs");
    c.disconnect();
    await io.close();
  });

  it("`new` on the CommonJS export works too, as socket.io's default import does", async () => {
    const rtio = require("rtio/server") as new (opts?: object) => { close(): Promise<void>; path(): string };
    const io = new rtio({ path: "/x" });
    assert.equal(io.path(), "/x");
    await io.close();
  });
});
