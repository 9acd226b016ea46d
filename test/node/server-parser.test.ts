import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { clientsUnderTest, connected, once, startServer, type TestServer } from "../support/server-harness.js";

const require = createRequire(import.meta.url);
const msgpackParser = require("socket.io-msgpack-parser") as object;

for (const client of await clientsUnderTest()) {
  describe(`server: custom parser, socket.io-msgpack-parser (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    it("emits, acks, broadcasts and refuses bad namespaces with the msgpack parser", async () => {
      s = await startServer(client, { parser: msgpackParser });
      s.io.of("/chat");
      const seen = once<[Socket]>(s.io.of("/chat"), "connection");
      const c = await connected(s.connect("/chat", { parser: msgpackParser } as object));
      const [socket] = await seen;
      socket.on("echo", (v: unknown, cb: (v: unknown) => void) => cb(v));
      assert.deepEqual(await c.emitWithAck("echo", { n: 1, bin: Buffer.from([1, 2]) }), { n: 1, bin: Buffer.from([1, 2]) });
      const got = once(c, "news");
      s.io.of("/chat").emit("news", [1, "two"]);
      assert.deepEqual(await got, [[1, "two"]]);
      c.on("q", (cb: (v: string) => void) => cb("yes"));
      assert.equal(await socket.timeout(5000).emitWithAck("q"), "yes");
      const bad = s.connect("/nowhere", { parser: msgpackParser } as object);
      assert.equal((await once<[Error]>(bad, "connect_error"))[0].message, "Invalid namespace");
    });
  });
}
