// closeOnBeforeunload: with it, the page's `beforeunload` closes the connection at once (the
// server sees "transport close"); without it (the default), the connection stays up. The
// client runs in an iframe (see frameWithIo).
import { bundleUrl, call, connected, describe, equal, frameWithIo, it, next, ok, type Bundle, type SpecFile } from "./support.js";

const openFrame = (bundle: Bundle) => frameWithIo(bundleUrl(bundle), bundle !== "classic");

export const unloadSpecs = (bundle: Bundle): SpecFile => (ctx) => {
  describe("closeOnBeforeunload", () => {
    for (const transport of ["polling", "websocket"] as const) {
      it(`closes the connection on beforeunload when set (${transport})`, async () => {
        const frame = await openFrame(bundle);
        try {
          const watcher = await connected(ctx.open("/"));
          const inFrame = ctx.track(frame.win.io(ctx.url, { forceNew: true, reconnection: false, transports: [transport], closeOnBeforeunload: true }));
          await connected(inFrame);
          ok(await call(watcher, "watch", inFrame.id), "the server knows the frame's socket");
          const gone = next<[string, string]>(watcher, "gone");
          frame.win.dispatchEvent(new (frame.win as unknown as typeof globalThis).Event("beforeunload"));
          const [id, reason] = await gone;
          equal(id, inFrame.id);
          equal(reason, "transport close");
        } finally {
          frame.remove();
        }
      });
    }

    it("keeps the connection on beforeunload by default", async () => {
      const frame = await openFrame(bundle);
      try {
        const inFrame = ctx.track(frame.win.io(ctx.url, { forceNew: true, reconnection: false }));
        await connected(inFrame);
        frame.win.dispatchEvent(new (frame.win as unknown as typeof globalThis).Event("beforeunload"));
        // A round trip after the event proves the connection is still up.
        equal(await call(inFrame, "echo", "still here"), "still here");
        equal(inFrame.connected, true);
      } finally {
        frame.remove();
      }
    });
  });
};
