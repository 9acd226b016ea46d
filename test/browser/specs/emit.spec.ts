// Events and acknowledgements, client to server and server to client.
import { call, connected, describe, equal, it, next, ok, same, type SpecFile } from "./support.js";

export const emitSpecs: SpecFile = (ctx) => {
  for (const transport of ["polling", "websocket"] as const) {
    describe(`emit and ack over ${transport}`, () => {
      const open = () => connected(ctx.open("/", { transports: [transport] }));

      it("sends an event and receives the server's event back", async () => {
        const socket = await open();
        const back = next(socket, "echo");
        socket.emit("echo", "hello", { n: 1, list: [true, null] });
        same(await back, ["hello", { n: 1, list: [true, null] }]);
      });

      it("gets the server's ack with several arguments", async () => {
        const socket = await open();
        const args = await new Promise<unknown[]>((resolve) =>
          socket.emit("echo", 1, "two", { three: 3 }, (...got: unknown[]) => resolve(got)),
        );
        same(args, [1, "two", { three: 3 }]);
      });

      it("emitWithAck resolves with the server's ack", async () => {
        const socket = await open();
        equal(await socket.emitWithAck("echo", "promised"), "promised");
      });

      it("a timeout() ack fails when the server never answers", async () => {
        const socket = await open();
        const err = await new Promise<Error | null>((resolve) =>
          socket.timeout(200).emit("nobody-listens", (e: Error | null) => resolve(e)),
        );
        ok(err instanceof Error, "an error after the timeout");
        equal(err.message, "operation has timed out");
      });

      it("answers the server's ack", async () => {
        const socket = await open();
        socket.on("question", (q: number, ack: (a: number) => void) => ack(q * 2));
        const answered = next(socket, "answered");
        socket.emit("ask", 21);
        same(await answered, [{ answer: 42 }]);
      });

      it("keeps order across many emits", async () => {
        const socket = await open();
        const got: number[] = [];
        const done = new Promise<void>((resolve) =>
          socket.on("echo", (n: number) => {
            got.push(n);
            if (got.length === 50) resolve();
          }),
        );
        for (let i = 0; i < 50; i++) socket.emit("echo", i);
        await done;
        same(got, Array.from({ length: 50 }, (_, i) => i));
        equal(await call(socket, "echo", "last"), "last");
      });
    });
  }
};
