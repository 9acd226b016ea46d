/**
 * The floor: a bare engine.io server sending the same frames socket.io would put on the wire,
 * encoded once per broadcast. It answers the client's `40` itself, so the same raw load generator
 * drives it; whatever a socket.io layer costs on top of engine.io is the gap to this row.
 */
import type { Server as HttpServer } from "node:http";
import { Server as EngineServer, type Socket as EngineSocket } from "engine.io";
import { type Audience, type Broadcaster, type Payload } from "./broadcaster.js";

/** The engine.io messages (after the engine's own "4" prefix) one socket.io event becomes. */
function frames(event: string, payload: Payload): Array<string | Buffer> {
  if (payload.kind === "binary") {
    return [`51-${JSON.stringify([event, { _placeholder: true, num: 0 }])}`, payload.value];
  }
  return [`2${JSON.stringify([event, payload.value])}`];
}

export function eioBroadcaster(http: HttpServer): Broadcaster {
  const engine = new EngineServer({ pingInterval: 25_000, pingTimeout: 20_000, maxHttpBufferSize: 1e6 });
  engine.attach(http, { path: "/socket.io/" });
  const all = new Set<EngineSocket>();
  const half = new Set<EngineSocket>();
  let joined = 0;
  let sid = 0;
  engine.on("connection", (socket: EngineSocket) => {
    const inHalf = joined++ % 2 === 0;
    socket.on("message", (data: unknown) => {
      if (data !== "0") return; // only the main-namespace CONNECT matters to this floor
      socket.send(`0{"sid":"floor${sid++}"}`);
      all.add(socket);
      if (inHalf) half.add(socket);
    });
    socket.on("close", () => {
      all.delete(socket);
      half.delete(socket);
    });
  });
  return {
    newRound: () => {
      joined = 0;
    },
    connected: () => all.size,
    broadcast(audience: Audience, event: string, payload: Payload) {
      const encoded = frames(event, payload);
      for (const socket of audience === "all" ? all : half) {
        for (const f of encoded) socket.send(f);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        engine.close();
        http.close(() => resolve());
      }),
  };
}
