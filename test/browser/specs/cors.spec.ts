// Cross-origin use: the karma page is one origin, the servers others. CORS headers,
// `withCredentials` cookies, a second origin, and a server whose policy refuses the page.
import { connected, describe, equal, it, ok, whoami, type SpecFile } from "./support.js";

export const corsSpecs: SpecFile = (ctx) => {
  describe("CORS and withCredentials", () => {
    it("connects over polling from another origin, which the server sees", async () => {
      const socket = await connected(ctx.open("/", { transports: ["polling"] }));
      equal((await whoami(socket)).origin, location.origin);
    });

    it("connects to a second origin of the same server (another site)", async () => {
      const socket = await connected(ctx.open("/", { transports: ["polling"] }, ctx.altUrl));
      const me = await whoami(socket);
      equal(me.origin, location.origin);
      equal(me.transport, "polling");
    });

    it("withCredentials: true sends the server's cookie back; without it, none is sent", async () => {
      // The first handshake sets the engine's `io` cookie (same site as this page).
      const first = await connected(ctx.open("/", { transports: ["polling"], withCredentials: true }));
      const firstEngine = (await whoami(first)).engineId;
      first.disconnect();
      const second = await connected(ctx.open("/", { transports: ["polling"], withCredentials: true }));
      const cookie = (await whoami(second)).cookie;
      ok(typeof cookie === "string" && cookie.includes("io="), `the io cookie on the next handshake, got ${String(cookie)}`);
      ok(cookie.includes(`io=${firstEngine}`), `the first session's cookie (io=${firstEngine}), got ${cookie}`);
      const anonymous = await connected(ctx.open("/", { transports: ["polling"], withCredentials: false }));
      equal((await whoami(anonymous)).cookie, null, "no cookie without withCredentials");
    });

    it("fails with connect_error when the server's CORS policy refuses this origin", async () => {
      const socket = ctx.open("/", { transports: ["polling"] }, ctx.strictUrl);
      const err = await connected(socket).then(
        () => null,
        (e: unknown) => e,
      );
      ok(err instanceof Error, "a connect_error");
      equal(err.message, "xhr poll error");
      equal(socket.connected, false);
    });
  });
};
