// Rooms and broadcast: a room message reaches its members but not the sender or outsiders.
import { call, connected, describe, equal, it, next, same, unique, type SpecFile } from "./support.js";

export const roomSpecs: SpecFile = (ctx) => {
  describe("rooms and broadcast", () => {
    it("delivers to room members only, not to the sender or outsiders", async () => {
      const [a, b, c] = await Promise.all([0, 1, 2].map(() => connected(ctx.open("/"))));
      const room = unique("room");
      await Promise.all([call(a!, "join", room), call(b!, "join", room)]);
      const heard: Record<string, unknown[]> = { a: [], b: [], c: [] };
      for (const [name, s] of Object.entries({ a, b, c })) s!.on("room-msg", (m: unknown) => heard[name]!.push(m));
      // Everyone gets the barrier after the room message, if it was ever sent to them:
      // one connection delivers in order.
      const barriers = Promise.all([a, b, c].map((s) => next(s!, "barrier")));
      await call(a!, "to-room", room, "room-msg", { from: "a" });
      await call(a!, "everyone", "barrier", null);
      await barriers;
      same(heard, { a: [], b: [{ from: "a" }], c: [] });
    });

    it("broadcasts to every connected client, across transports", async () => {
      const sockets = await Promise.all([
        connected(ctx.open("/", { transports: ["polling"] })),
        connected(ctx.open("/", { transports: ["websocket"] })),
        connected(ctx.open("/")),
      ]);
      const tag = unique("all");
      const got = Promise.all(
        sockets.map(
          (s) => new Promise<unknown>((resolve) => s.on("news", (v: unknown) => v === tag && resolve(v))),
        ),
      );
      await call(sockets[0]!, "everyone", "news", tag);
      equal((await got).length, 3);
    });
  });
};
