// The page gets `io` from <script src="/socket.io/socket.io.min.js">, as socket.io pages do;
// only its types come from rtio's sources (esbuild drops type imports).
import type { io as ioFunction, Socket } from "../../../src/client/index.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../protocol.js";

declare const io: typeof ioFunction;

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects as `nickname`; the server's middleware checks it and refuses with a reason. */
export function connect(nickname: string): ChatSocket {
  // `?transports=polling` shows the fallback a proxy without WebSocket support gets.
  const only = new URLSearchParams(location.search).get("transports");
  const transports = only ? only.split(",") : undefined;
  return io<ServerToClientEvents, ClientToServerEvents>({ auth: { nickname }, ...(transports ? { transports } : {}) });
}
