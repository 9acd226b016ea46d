// socket.request after the handshake: the first HTTP request is let go (only a copy of its
// data stays) unless engine middlewares ran, which may hold it and get the real one.
import assert from "node:assert/strict";
import { IncomingMessage } from "node:http";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { clientsUnderTest, connected, once, startServer, type TestServer } from "../support/server-harness.js";

for (const client of await clientsUnderTest()) {
  describe(`server: socket.request (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    for (const transports of [["websocket"], ["polling"]]) {
      it(`keeps headers, url, method and the TCP socket (${transports[0]})`, async () => {
        s = await startServer(client);
        const next = once<[Socket]>(s.io, "connection");
        await connected(s.connect("/", { transports, extraHeaders: { "x-app": "v1" }, query: { q: "1" } }));
        const [socket] = await next;
        const req = socket.request;
        assert.equal(req.headers["x-app"], "v1");
        assert.equal(req.method, "GET");
        assert.match(req.url ?? "", /[?&]q=1/);
        assert.equal(req.socket.remoteAddress, "127.0.0.1");
        assert.equal(req.connection.remoteAddress, "127.0.0.1");
        assert.ok(req.rawHeaders.includes("v1"));
        assert.equal(socket.handshake.query.q, "1");
        // The same object every time, so what an app sets on it stays.
        (socket.request as unknown as { user: string }).user = "ann";
        assert.equal((socket.request as unknown as { user: string }).user, "ann");
      });
    }

    it("is the real request, with what engine middlewares set, when io.engine.use() is used", async () => {
      s = await startServer(client);
      s.io.engine.use((req: IncomingMessage & { session?: object }, _res: unknown, next: () => void) => {
        req.session = { id: "s1" };
        next();
      });
      const next = once<[Socket]>(s.io, "connection");
      await connected(s.connect("/", { transports: ["websocket"] }));
      const [socket] = await next;
      assert.ok(socket.request instanceof IncomingMessage);
      assert.deepEqual((socket.request as IncomingMessage & { session?: object }).session, { id: "s1" });
    });
  });
}
