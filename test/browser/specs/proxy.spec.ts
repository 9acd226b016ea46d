// Through a real reverse proxy from the browser: nginx passing WebSocket upgrades, and nginx
// stripping them (test/support/nginx.ts, started with the companion servers).
import { bytes, call, connected, describe, equal, it, next, ok, whoami, type Ctx, type SpecFile } from "./support.js";

function proxies(ctx: Ctx): { passing: string; stripping: string } {
  if (ctx.proxyError || !ctx.proxyUrl || !ctx.strippingProxyUrl) throw new Error(`no nginx for this run: ${ctx.proxyError}`);
  return { passing: ctx.proxyUrl, stripping: ctx.strippingProxyUrl };
}

export const proxySpecs: SpecFile = (ctx) => {
  describe("through nginx", () => {
    it("upgrades to WebSocket behind a proxy that passes upgrades", async () => {
      const socket = ctx.open("/", {}, proxies(ctx).passing);
      const upgraded = next(socket.io.engine, "upgrade");
      await connected(socket);
      await upgraded;
      equal((await whoami(socket)).transport, "websocket");
      same3(bytes(await call(socket, "echo", new Uint8Array([1, 2, 3]).buffer)));
    });

    it("stays on long-polling behind a proxy that strips upgrades, and still flows both ways", async () => {
      const socket = ctx.open("/", {}, proxies(ctx).stripping);
      const probeFailed = next(socket.io.engine, "upgradeError");
      await connected(socket);
      await probeFailed;
      equal(socket.io.engine.transport.name, "polling");
      equal((await whoami(socket)).transport, "polling");
      same3(bytes(await call(socket, "echo", new Uint8Array([1, 2, 3]).buffer)));
      socket.on("question", (q: number, ack: (a: number) => void) => ack(q + 1));
      const answered = next<[{ answer: number }]>(socket, "answered");
      socket.emit("ask", 1);
      equal((await answered)[0].answer, 2);
    });

    it("a WebSocket-only client behind the stripping proxy fails with connect_error", async () => {
      const socket = ctx.open("/", { transports: ["websocket"] }, proxies(ctx).stripping);
      const err = await connected(socket).then(
        () => null,
        (e: unknown) => e,
      );
      ok(err instanceof Error, "a connect_error");
      equal(err.message, "websocket error");
    });
  });
};

function same3(list: number[]): void {
  equal(list.join(","), "1,2,3", "binary through the proxy");
}
