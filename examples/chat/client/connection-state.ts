// The badge in the header: what the connection is doing, in the words of the Socket.IO events.
import { $ } from "./dom.js";
import type { ChatSocket } from "./io.js";

export type State = "offline" | "connecting" | "connected" | "recovered" | "reconnecting" | "refused";

export function showState(state: State, text: string): void {
  const badge = $("state");
  badge.dataset.state = state;
  badge.textContent = text;
}

/**
 * Follows `socket` and its Manager: `reconnect_attempt` gives the attempt number, `connect`
 * says whether the session was recovered (the server kept what was missed) or is a new one.
 */
export function trackState(socket: ChatSocket, onSession: (recovered: boolean) => void): void {
  let attempt = 0;
  showState("connecting", "connecting…");
  socket.on("connect", () => {
    attempt = 0;
    if (socket.recovered) showState("recovered", "connected · recovered");
    else showState("connected", "connected");
    onSession(socket.recovered);
  });
  socket.on("disconnect", (reason) => {
    showState(socket.active ? "reconnecting" : "offline", socket.active ? `disconnected (${reason}), reconnecting…` : `disconnected (${reason})`);
  });
  socket.io.on("reconnect_attempt", (n) => {
    attempt = n;
    showState("reconnecting", `reconnecting · attempt ${n}`);
  });
  socket.on("connect_error", (err) => {
    if (socket.active) showState("reconnecting", attempt ? `reconnecting · attempt ${attempt} failed: ${err.message}` : `cannot connect: ${err.message}`);
    else showState("refused", `refused: ${err.message}`);
  });
}
