// The MessagePack bundle (dist/rtio.msgpack.min.js) against servers using
// socket.io-msgpack-parser: text, binary and acks both ways over each transport.
import { bytes, connected, describe, equal, frameWithIo, it, next, runConfig, same, type Ctx, type SpecFile } from "./support.js";

async function msgpackIo(ctx: Ctx, transport: "polling" | "websocket") {
  const frame = await frameWithIo(location.origin + runConfig.msgpackUrl, false);
  const socket = ctx.track(frame.win.io(ctx.msgpackUrl, { forceNew: true, reconnection: false, transports: [transport] }));
  return { frame, socket };
}

export const msgpackSpecs: SpecFile = (ctx) => {
  describe("msgpack bundle", () => {
    for (const transport of ["polling", "websocket"] as const) {
      it(`round-trips text, binary and acks with a msgpack server over ${transport}`, async () => {
        const { frame, socket } = await msgpackIo(ctx, transport);
        try {
          await connected(socket);
          same(await socket.emitWithAck("echo", "text", { n: 1, list: [true, null] }), "text");
          const back = await socket.emitWithAck("echo", new Uint8Array([1, 2, 3]));
          same(bytes(back), [1, 2, 3]);
          socket.on("question", (q: number, ack: (a: number) => void) => ack(q * 2));
          const answered = next<[{ answer: number }]>(socket, "answered");
          socket.emit("ask", 21);
          equal((await answered)[0].answer, 42);
        } finally {
          frame.remove();
        }
      });
    }
  });
};
