// `retries` with `ackTimeout`: an emit is delivered at least once, across a lost connection,
// and gives up with socket.io's timeout error once its tries are spent.
import { connected, describe, equal, it, ok, unique, type ClientOptions, type SpecFile } from "./support.js";

const reconnecting: ClientOptions = { reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 };

export const retrySpecs: SpecFile = (ctx) => {
  describe("retries with ackTimeout", () => {
    it("sends again after the connection carrying the first try was lost, then calls back once", async () => {
      const socket = await connected(ctx.open("/", { ...reconnecting, retries: 3, ackTimeout: 1000 }));
      const calls: unknown[][] = [];
      const result = await new Promise<unknown[]>((resolve) =>
        // The server closes the connection on this key's first try and acks the next with 2.
        socket.emit("flaky-drop", unique("retry"), (...args: unknown[]) => {
          calls.push(args);
          resolve(args);
        }),
      );
      equal(result[0], null, "no error");
      equal(result[1], 2, "acked on the second try");
      equal(calls.length, 1);
    });

    it("emitWithAck resolves once a retry gets through", async () => {
      const socket = await connected(ctx.open("/", { ...reconnecting, retries: 3, ackTimeout: 1000 }));
      equal(await socket.emitWithAck("flaky-drop", unique("retry")), 2);
    });

    it("fails with 'operation has timed out' once every try went unanswered", async () => {
      const socket = await connected(ctx.open("/", { retries: 1, ackTimeout: 150 }));
      const err = await new Promise<unknown>((resolve) => socket.emit("flaky", unique("retry"), 99, (e: unknown) => resolve(e)));
      ok(err instanceof Error, "an Error");
      equal(err.message, "operation has timed out");
    });

    it("emitWithAck rejects once the retries are spent", async () => {
      const socket = await connected(ctx.open("/", { retries: 1, ackTimeout: 150 }));
      const err = await socket.emitWithAck("flaky", unique("retry"), 99).then(
        () => null,
        (e: unknown) => e,
      );
      ok(err instanceof Error, "a rejection");
      equal(err.message, "operation has timed out");
    });

    it("delivers queued emits in order, one at a time, across a lost connection", async () => {
      const socket = await connected(ctx.open("/", { ...reconnecting, retries: 3, ackTimeout: 1000 }));
      const key = unique("seq");
      const order: string[] = [];
      // Only the first emit's first try is lost with its connection (flaky-drop); the others
      // are acked on their first try ("flaky" with nothing to ignore), after it.
      const first = new Promise<void>((resolve) =>
        socket.emit("flaky-drop", `${key}-1`, () => {
          order.push("1");
          resolve();
        }),
      );
      const rest = [2, 3].map(
        (i) =>
          new Promise<void>((resolve) =>
            socket.emit("flaky", `${key}-${i}`, 0, () => {
              order.push(String(i));
              resolve();
            }),
          ),
      );
      await Promise.all([first, ...rest]);
      equal(order.join(","), "1,2,3");
    });
  });
};
