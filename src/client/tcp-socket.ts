/** What a Node WebSocket's TCP socket offers to batch writes. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * The TCP socket under the engine's WebSocket transport in Node (ws keeps it as `_socket`).
 * Corked for a flush, k packets leave in one writev instead of k: one syscall per batch, not
 * per emit (ws's own cork/uncork around each frame nests inside). Polling, WebTransport, or a
 * ws without `_socket` give undefined: the flush then writes as engine.io-client always does.
 */
export function tcpSocketOf(transport: unknown): Corkable | undefined {
  const socket = (transport as { ws?: { _socket?: Partial<Corkable> } } | undefined)?.ws?._socket;
  return typeof socket?.cork === "function" && typeof socket.uncork === "function" ? (socket as Corkable) : undefined;
}
