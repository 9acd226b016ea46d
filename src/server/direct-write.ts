import type { Socket as EngineSocket } from "engine.io";
import type { WireFrames } from "./ws-frame.js";

/** The parts of engine.io's Socket and WebSocket transport the fast path reads (untyped there). */
interface EngineInternals {
  readyState: string;
  writeBuffer: unknown[];
  server: { _events: Record<string, unknown> };
  _events: Record<string, unknown>;
  transport: {
    name: string;
    writable: boolean;
    supportsBinary?: boolean;
    socket?: WsInternals;
  };
}

interface WsInternals {
  readyState: number;
  bufferedAmount: number;
  terminate(): void;
  _sender?: { sendFrame?: (list: Buffer[], cb?: (err?: Error) => void) => void };
  _socket?: NetSocket;
}

interface NetSocket {
  writableCorked: number;
  cork(): void;
  uncork(): void;
}

/** Sockets corked by direct writes during this turn of the event loop. */
let corked: NetSocket[] = [];

/**
 * Every broadcast of this turn to one client leaves in one write: the first direct write
 * corks its socket, and they are all uncorked together once the turn's code has run. That
 * is the batching engine.io gets from its write buffer, without its per-packet work.
 */
function corkForThisTurn(socket: NetSocket | undefined): void {
  if (!socket || socket.writableCorked !== 0) return;
  socket.cork();
  if (corked.push(socket) === 1) process.nextTick(uncorkAll);
}

function uncorkAll(): void {
  const sockets = corked;
  corked = [];
  for (const socket of sockets) socket.uncork();
}

const WS_OPEN = 1;

/**
 * Writes a broadcast's ready frames straight to an idle WebSocket, skipping engine.io's
 * per-packet work (packet object, write buffer, flush, re-framing). Order is safe only when
 * nothing of this connection is waiting: engine.io's buffer is empty and its transport is
 * writable (no send of its own in flight, which is also what protects a compressed send
 * still deflating). Anyone listening to engine.io's write events gets the normal path, so
 * they still see every packet. Returns false when the caller must take the normal path.
 */
export function writeDirect(conn: EngineSocket, frames: WireFrames): boolean {
  const engine = conn as unknown as EngineInternals;
  const transport = engine.transport;
  if (engine.readyState !== "open" || transport.name !== "websocket" || !transport.writable) return false;
  if (engine.writeBuffer.length !== 0 || (frames.binary && !transport.supportsBinary)) return false;
  const ws = transport.socket;
  const sendFrame = ws?._sender?.sendFrame;
  if (!ws || ws.readyState !== WS_OPEN || typeof sendFrame !== "function") return false;
  if (hasWriteListeners(engine)) return false;
  corkForThisTurn(ws._socket);
  sendFrame.call(ws._sender, [frames.bytes]);
  return true;
}

// EventEmitter's own table, read directly: listenerCount() five times per recipient showed
// in profiles.
function hasWriteListeners(engine: EngineInternals): boolean {
  const own = engine._events;
  const server = engine.server._events;
  return (
    own.packetCreate !== undefined ||
    own.flush !== undefined ||
    own.drain !== undefined ||
    server.flush !== undefined ||
    server.drain !== undefined
  );
}

/**
 * What one connection has written and the client has not read yet: bytes in the WebSocket's
 * send buffer (kernel backpressure shows up there), plus engine.io's own packet buffer,
 * whose size the caller tracks as `queued` since engine.io keeps only a count.
 */
export function pendingBytes(conn: EngineSocket, queued: number): number {
  const engine = conn as unknown as EngineInternals;
  const ws = engine.transport?.socket;
  const buffered = ws && typeof ws.bufferedAmount === "number" ? ws.bufferedAmount : 0;
  return (engine.writeBuffer.length === 0 ? 0 : queued) + buffered;
}

/** Whether engine.io's packet buffer is empty (what was queued has gone to the transport). */
export function engineBufferEmpty(conn: EngineSocket): boolean {
  return (conn as unknown as EngineInternals).writeBuffer.length === 0;
}

/**
 * Ends a connection at once, dropping what it had queued: a client that stopped reading would
 * otherwise hold it (and a WebSocket close handshake, queued behind it, would wait 30 s).
 */
export function abortConnection(conn: EngineSocket): void {
  const engine = conn as unknown as EngineInternals;
  engine.writeBuffer.length = 0;
  const ws = engine.transport?.socket;
  if (engine.transport?.name === "websocket" && ws && typeof ws.terminate === "function") ws.terminate();
  else conn.close(true);
}
