// The client with rtio's MessagePack parser, against servers using socket.io-msgpack-parser.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, it } from "node:test";
import * as msgpack from "../../src/msgpack/index.js";
import { Fixture, next } from "../support/client-fixtures.js";
import { serverImpls } from "../support/official-server.js";

const require = createRequire(import.meta.url);
const serverParser = require("socket.io-msgpack-parser");

for (const impl of await serverImpls()) {
  describe(`client with the msgpack parser (${impl.name})`, () => {
    let f: Fixture;
    beforeEach(async () => {
      f = new Fixture(impl);
      await f.start({ parser: serverParser });
    });
    afterEach(() => f.end());

    for (const transports of [["polling"], ["websocket"]] as const) {
      it(`connects, emits and acks with binary over ${transports[0]}`, async () => {
        f.server.io.of("/chat").on("connection", (s) => {
          s.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
          s.emit("hello", { when: 1, bin: Buffer.from([5, 6]) });
        });
        const socket = f.client("/chat", { parser: msgpack, transports: [...transports], auth: { user: "ann" } });
        const [hello] = await next(socket, "hello");
        assert.equal(hello.when, 1);
        assert.deepEqual([...new Uint8Array(hello.bin)], [5, 6]);
        const reply = await new Promise<unknown[]>((resolve) =>
          socket.emit("echo", "a", 2.5, { b: [true, null] }, Buffer.from([1]), (...r: unknown[]) => resolve(r)),
        );
        assert.deepEqual(reply.slice(0, 3), ["a", 2.5, { b: [true, null] }]);
        assert.deepEqual([...new Uint8Array(reply[3] as Buffer)], [1]);
      });
    }

    it("gets connect_error with data through msgpack", async () => {
      f.server.io.use((_s, next) => next(Object.assign(new Error("nope"), { data: { code: 42 } })));
      const socket = f.client("/", { parser: msgpack });
      const [err] = await next(socket, "connect_error");
      assert.equal(err.message, "nope");
      assert.deepEqual(err.data, { code: 42 });
    });
  });
}
