// Binary both ways: ArrayBuffer, typed arrays, Blob and File go up; the server's Buffers
// come down as ArrayBuffer.
import { bytes, call, connected, describe, equal, it, next, ok, same, type SpecFile } from "./support.js";

export const binarySpecs: SpecFile = (ctx) => {
  for (const transport of ["polling", "websocket"] as const) {
    describe(`binary over ${transport}`, () => {
      const open = () => connected(ctx.open("/", { transports: [transport] }));

      it("sends an ArrayBuffer and gets it back as an ArrayBuffer", async () => {
        const socket = await open();
        const back = await call(socket, "echo", new Uint8Array([1, 2, 255]).buffer);
        same(bytes(back), [1, 2, 255]);
      });

      it("sends typed arrays and views at an offset", async () => {
        const socket = await open();
        const base = new Uint8Array([9, 8, 7, 6, 5, 4]);
        const seen = await call(socket, "describe", new Uint8Array([1, 2]), new Int16Array([-1]), new DataView(base.buffer, 2, 3));
        same(seen, [{ buffer: [1, 2] }, { buffer: [255, 255] }, { buffer: [7, 6, 5] }]);
      });

      it("sends a Blob and a File, received as bytes", async () => {
        const socket = await open();
        const blob = new Blob([new Uint8Array([10, 20, 30])]);
        const file = new File([new Uint8Array([40, 50])], "a.bin", { type: "application/octet-stream" });
        const seen = await call(socket, "describe", blob, { file });
        same(seen, [{ buffer: [10, 20, 30] }, { file: { buffer: [40, 50] } }]);
      });

      it("round-trips binary nested in objects and arrays, with text beside it", async () => {
        const socket = await open();
        const payload = { name: "mixed", parts: [new Uint8Array([1]).buffer, "text", { deep: new Uint8Array([2, 3]).buffer }] };
        const back = (await call(socket, "echo", payload)) as { name: string; parts: [ArrayBuffer, string, { deep: ArrayBuffer }] };
        equal(back.name, "mixed");
        same(bytes(back.parts[0]), [1]);
        equal(back.parts[1], "text");
        same(bytes(back.parts[2].deep), [2, 3]);
      });

      it("receives the server's Buffers and Uint8Arrays as ArrayBuffers", async () => {
        const socket = await open();
        const got = next<[ArrayBuffer, { nested: ArrayBuffer; list: ArrayBuffer[] }]>(socket, "binary");
        await call(socket, "send-binary");
        const [top, rest] = await got;
        same(bytes(top), [1, 2, 3]);
        same(bytes(rest.nested), [4, 5]);
        ok(Array.isArray(rest.list));
        same(bytes(rest.list[0]), [6]);
      });

      it("acks carry binary too", async () => {
        const socket = await open();
        const back = await socket.emitWithAck("echo", new Uint8Array(1000).fill(7));
        const list = bytes(back);
        equal(list.length, 1000);
        ok(list.every((b) => b === 7), "every byte intact");
      });
    });
  }
};
