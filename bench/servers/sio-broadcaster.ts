/** The Broadcaster on a socket.io-API server: rtio or socket.io 4.8, chosen by the caller. */
import type { Server as HttpServer } from "node:http";
import type { ServerOptions } from "socket.io";
import type { ServerModule } from "../lib/impl.js";
import { HALF_ROOM, type Audience, type Broadcaster, type Payload } from "./broadcaster.js";

export type AdapterFactory = NonNullable<ServerOptions["adapter"]>;

export function sioBroadcaster(mod: ServerModule, http: HttpServer, adapter?: AdapterFactory): Broadcaster {
  const io = new mod.Server(http, adapter ? { adapter } : {});
  let joined = 0;
  io.on("connection", (socket) => {
    if (joined++ % 2 === 0) void socket.join(HALF_ROOM);
  });
  return {
    newRound: () => {
      joined = 0;
    },
    connected: () => io.of("/").sockets.size,
    broadcast(audience: Audience, event: string, payload: Payload) {
      const target = audience === "all" ? io : io.to(HALF_ROOM);
      target.emit(event, payload.value);
    },
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
