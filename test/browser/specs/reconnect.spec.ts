// A server-side drop followed by reconnection with backoff, and connection state recovery.
import { call, collect, connected, describe, equal, it, next, ok, same, unique, whoami, type SpecFile } from "./support.js";

export const reconnectSpecs: SpecFile = (ctx) => {
  describe("reconnection", () => {
    for (const transport of ["polling", "websocket"] as const) {
      it(`reconnects after a server-side drop, backing off through refused attempts (${transport})`, async () => {
        const key = unique("key");
        const socket = await connected(
          ctx.open("/", {
            transports: [transport],
            reconnection: true,
            reconnectionDelay: 50,
            reconnectionDelayMax: 400,
            randomizationFactor: 0,
            query: { key },
          }),
        );
        const firstId = socket.id;
        const attempts: number[] = [];
        const times: number[] = []; // the drop, then each attempt
        socket.io.on("reconnect_attempt", (n: number) => {
          attempts.push(n);
          times.push(performance.now());
        });
        const errors = collect(socket.io, "reconnect_error", 2);
        const reconnected = next<[number]>(socket.io, "reconnect");
        socket.once("disconnect", () => times.push(performance.now()));
        const reason = next<[string]>(socket, "disconnect");
        // The server refuses this key's next two handshakes, then drops the connection.
        await call(socket, "drop", 2);
        equal((await reason)[0], "transport close");
        equal((await errors).length, 2, "two refused attempts");
        equal((await reconnected)[0], 3, "reconnected on the third attempt");
        await connected(socket);
        same(attempts, [1, 2, 3]);
        // Backoff without jitter: 50, 100, 200 ms before the attempts. Only lower bounds (a
        // timer never fires early; a busy machine only adds), with 5 ms for clock rounding.
        const gaps = times.slice(1).map((t, i) => t - times[i]!);
        [50, 100, 200].forEach((delay, i) => ok(gaps[i]! >= delay - 5, `attempt ${i + 1} after ${gaps[i]} ms, expected >= ${delay}`));
        ok(socket.id !== firstId, "a new session without recovery state");
        equal(await call(socket, "echo", "back"), "back");
      });
    }

    it("buffers emits made while disconnected and sends them on reconnect", async () => {
      const socket = await connected(ctx.open("/", { reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 }));
      const reason = next(socket, "disconnect");
      await call(socket, "drop", 0);
      await reason;
      const echoed = next(socket, "echo");
      socket.emit("echo", "buffered");
      same(await echoed, ["buffered"]);
    });
  });

  describe("connection state recovery", () => {
    it("recovers the session and delivers the events missed while away", async () => {
      const socket = await connected(
        ctx.open("/", { reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 }, ctx.recoveryUrl),
      );
      equal(socket.recovered, false);
      const firstId = socket.id;
      const room = unique("csr");
      const ticks = collect<number>(socket, "tick", 4);
      // The first tick carries an offset, so the client has something to recover from.
      await call(socket, "csr-prepare", room);
      const disconnected = next<[string]>(socket, "disconnect");
      socket.emit("csr-drop", room, 3);
      equal((await disconnected)[0], "transport close");
      await next(socket, "connect");
      // The server appends each event's offset as a last argument: the first ones count here.
      same(await ticks, [0, 1, 2, 3], "the missed ticks, in order");
      equal(socket.recovered, true, "socket.recovered");
      equal(socket.id, firstId, "the same socket id");
      const me = await whoami(socket);
      equal(me.recovered, true, "the server recovered it too");
    });
  });
};
