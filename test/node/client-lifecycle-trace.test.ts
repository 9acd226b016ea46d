// rtio's client and socket.io-client 4.8 through the same life, on the same server: every
// Socket and Manager event, with its reason or error, must come in the same order. The life: a
// connect, a dropped connection and the reconnection, a connect refused by a middleware, a
// manual connect, a server-side disconnect, another connect, then the server gone and three
// failed reconnection attempts. Each step waits on an event, so the traces do not depend on time.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { io as officialClient } from "socket.io-client";
import { io as rtioClient } from "../../src/client/index.js";
import { next } from "../support/client-fixtures.js";
import { serverImpls } from "../support/official-server.js";

type Client = typeof rtioClient;

const SOCKET_EVENTS = ["connect", "disconnect", "connect_error"];
const MANAGER_EVENTS = ["open", "close", "error", "reconnect", "reconnect_attempt", "reconnect_error", "reconnect_failed"];

/** An event's arguments as text: an Error by its message and data, a description by its presence. */
function describeArgs(args: unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof Error) return `Error(${a.message}${(a as { data?: unknown }).data !== undefined ? " " + JSON.stringify((a as { data?: unknown }).data) : ""})`;
      if (typeof a === "object" && a !== null && "description" in a) return "{description}";
      return JSON.stringify(a);
    })
    .join(" ");
}

/** Resolves once `trace` holds `count` entries that are `entry` or pass it (checked on every event). */
function traced(trace: string[], onEvent: Set<() => void>, entry: string | ((t: string) => boolean), count = 1): Promise<void> {
  const matches = typeof entry === "string" ? (t: string) => t === entry : entry;
  return new Promise((resolve) => {
    const check = (): void => {
      if (trace.filter(matches).length >= count) {
        onEvent.delete(check);
        resolve();
      }
    };
    onEvent.add(check);
    check();
  });
}

for (const impl of await serverImpls()) {
  describe(`client life, rtio's client against socket.io-client 4.8 (${impl.name})`, { timeout: 120_000 }, () => {
    async function life(io: Client, transports: string[]): Promise<string[]> {
      const server = await impl.start({ pingInterval: 10_000 });
      // The second connect of the life (the reconnection after the drop) is refused.
      server.io.use((socket, done) => {
        const n = (socket.handshake.auth as { n?: number }).n;
        done(n === 2 ? Object.assign(new Error("second refused"), { data: { n } }) : undefined);
      });
      server.io.on("connection", (socket) => {
        socket.on("drop", () => socket.conn.close());
        socket.on("quit", () => socket.disconnect());
      });
      const trace: string[] = [];
      const onEvent = new Set<() => void>();
      let n = 0;
      const socket = io(server.url, {
        forceNew: true,
        transports,
        reconnectionDelay: 20,
        reconnectionDelayMax: 20,
        randomizationFactor: 0,
        auth: (cb) => cb({ n: ++n }),
      });
      const record = (entry: string): void => {
        trace.push(entry);
        for (const check of [...onEvent]) check();
      };
      for (const ev of SOCKET_EVENTS) socket.on(ev as "connect", (...args: unknown[]) => record(`socket ${ev} ${describeArgs(args)}`.trim()));
      for (const ev of MANAGER_EVENTS) socket.io.on(ev as "open", (...args: unknown[]) => record(`manager ${ev} ${describeArgs(args)}`.trim()));
      const upgraded = async (): Promise<void> => {
        if (transports.length > 1 && socket.io.engine.transport.name !== "websocket") await next(socket.io.engine, "upgrade");
      };
      // Closed once only: socket.io-client's Manager emits "close" again on every further close().
      let closed = false;
      try {
        await traced(trace, onEvent, "socket connect");
        await upgraded();
        socket.emit("drop");
        await traced(trace, onEvent, 'socket connect_error Error(second refused {"n":2})');
        record("-- connect()");
        socket.connect();
        await traced(trace, onEvent, "socket connect", 2);
        socket.emit("quit");
        await traced(trace, onEvent, 'socket disconnect "io server disconnect"');
        record("-- connect()");
        socket.connect();
        await traced(trace, onEvent, "socket connect", 3);
        await upgraded();
        record("-- server gone");
        await server.close();
        await traced(trace, onEvent, (t) => t.startsWith("manager reconnect_error"), 3);
        record("-- close()");
        socket.close();
        closed = true;
        return trace;
      } finally {
        if (!closed) socket.close();
        await server.close();
      }
    }

    for (const transports of [["websocket"], ["polling", "websocket"]]) {
      it(`the same events in the same order over ${transports.join(" then ")}`, async () => {
        const ours = await life(rtioClient, transports);
        const theirs = await life(officialClient as unknown as Client, transports);
        assert.deepEqual(ours, theirs);
        // The trace went through every step.
        assert.ok(ours.includes('socket disconnect "io server disconnect"'));
        assert.equal(ours.at(-1), 'manager close "forced close"');
      });
    }
  });
}
