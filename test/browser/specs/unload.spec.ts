// closeOnBeforeunload: with it, the page's `beforeunload` closes the connection at once (the
// server sees "transport close"); without it (the default), the connection stays up. The
// client runs in an iframe, since karma's own page treats `beforeunload` as a failed test.
import { bundleUrl, call, connected, describe, equal, it, next, ok, type Bundle, type Io, type SpecFile } from "./support.js";

async function frameWithIo(bundle: Bundle): Promise<{ win: Window & { io: Io }; remove(): void }> {
  const frame = document.createElement("iframe");
  const src = bundleUrl(bundle);
  frame.srcdoc =
    bundle === "classic"
      ? `<script src="${src}"></script>`
      : `<script type="module">import { io } from "${src}"; window.io = io;</script>`;
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
  document.body.appendChild(frame);
  await loaded;
  const win = frame.contentWindow as Window & { io: Io };
  if (typeof win.io !== "function") throw new Error("the frame has no io");
  return { win, remove: () => frame.remove() };
}

export const unloadSpecs = (bundle: Bundle): SpecFile => (ctx) => {
  describe("closeOnBeforeunload", () => {
    for (const transport of ["polling", "websocket"] as const) {
      it(`closes the connection on beforeunload when set (${transport})`, async () => {
        const frame = await frameWithIo(bundle);
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
      const frame = await frameWithIo(bundle);
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
