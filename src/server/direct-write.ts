import type { Socket as EngineSocket } from "engine.io";
import { wireFrames, type WireFrames } from "./ws/frame-writer.js";

/** The parts of engine.io's Socket and WebSocket transport the fast path reads (untyped there). */
interface EngineInternals {
  readyState: string;
  protocol: number;
  /** Absent only in an engine.io whose internals differ (package.json pins ~6.6): see `queuedInEngine`. */
  writeBuffer?: unknown[];
  server: { _events: Record<string, unknown> };
  _events: Record<string, unknown>;
  transport: IdleTransport;
}

/** engine.io's WebSocket transport, once `idleTransport` has found it free to write to. */
export interface IdleTransport {
  name: string;
  writable: boolean;
  supportsBinary?: boolean;
  socket?: WsInternals;
}

interface WsInternals {
  readyState: number;
  bufferedAmount: number;
  terminate(): void;
  _extensions?: Record<string, unknown>;
  _sender?: { sendFrame?: (list: Buffer[], cb?: (err?: Error) => void) => void };
  _socket?: NetSocket;
}

interface NetSocket {
  writableCorked: number;
  cork(): void;
  uncork(): void;
}

const WS_OPEN = 1;

/**
 * Returns the WebSocket transport of a connection when a packet may be written straight to it,
 * skipping engine.io's per-packet work (packet object, write buffer, flush, re-framing).
 * Only for Engine.IO v4. Order is safe only when nothing of this connection is waiting: engine.io's buffer is empty
 * and its transport is writable (no send of its own in flight). A WebSocket that negotiated
 * permessage-deflate keeps engine.io's path, where ws compresses. Anyone listening to
 * engine.io's write events gets the normal path too, so they still see every packet.
 * Undefined when the caller must take the normal path.
 */
export function idleTransport(conn: EngineSocket): IdleTransport | undefined {
  const engine = conn as unknown as EngineInternals;
  const transport = engine.transport;
  if (engine.readyState !== "open" || transport.name !== "websocket" || !transport.writable) return undefined;
  // Engine.IO v3 prefixes binary messages with their packet type: its framing is not ours.
  if (engine.protocol !== 4) return undefined;
  // Something queued in engine.io, or no queue where one is expected (`?.` gives undefined): not idle.
  if (engine.writeBuffer?.length !== 0 || hasWriteListeners(engine)) return undefined;
  const ws = transport.socket;
  if (!ws || ws.readyState !== WS_OPEN || typeof ws._sender?.sendFrame !== "function") return undefined;
  if (ws._extensions === undefined || ws._extensions["permessage-deflate"] !== undefined) return undefined;
  return transport;
}

/**
 * Writes ready frames to a transport `idleTransport` returned, corked until the end of the
 * turn. False (nothing written) if the frames are binary and the client takes only text.
 */
export function writeFrames(transport: IdleTransport, frames: WireFrames): boolean {
  if (frames.binary && !transport.supportsBinary) return false;
  const ws = transport.socket!;
  const sender = ws._sender!;
  corkForThisTurn(ws._socket);
  sender.sendFrame!.call(sender, [frames.bytes]);
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
 * What is kept for the current turn of the event loop only: the sockets corked by direct
 * writes, and the frames of the last encoded array (see `framesOf`).
 */
let corked: NetSocket[] = [];
let lastEncoded: readonly unknown[] | undefined;
let lastHead: unknown;
let lastFrames: WireFrames | undefined;
let turnEndScheduled = false;

function endOfTurn(): void {
  if (turnEndScheduled) return;
  turnEndScheduled = true;
  process.nextTick(endTurn);
}

function endTurn(): void {
  turnEndScheduled = false;
  lastEncoded = lastHead = lastFrames = undefined;
  const sockets = corked;
  corked = [];
  for (const socket of sockets) socket.uncork();
}

/**
 * Every write of this turn to one client leaves in one system call: the first direct write
 * corks its socket, and they are all uncorked together once the turn's code has run. That
 * is the batching engine.io gets from its write buffer, without its per-packet work, and it
 * also gathers the acks of every event that arrived in one read.
 */
function corkForThisTurn(socket: NetSocket | undefined): void {
  if (!socket || socket.writableCorked !== 0) return;
  socket.cork();
  corked.push(socket);
  endOfTurn();
}

/**
 * The frames of an encoded packet, built once per array: socket.io-adapter's Adapter (the
 * base of the Redis, Redis Streams and cluster adapters) hands every recipient of a broadcast
 * the same array, so its recipients share one framing as our own adapter's do. Kept for
 * this turn only; the first part is compared too, so a reused and refilled array is framed anew.
 */
export function framesOf(encoded: readonly unknown[]): WireFrames | undefined {
  if (encoded === lastEncoded && encoded[0] === lastHead) return lastFrames;
  const frames = wireFrames(encoded);
  lastEncoded = encoded;
  lastHead = encoded[0];
  lastFrames = frames;
  endOfTurn();
  return frames;
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
  return (queuedInEngine(engine) ? queued : 0) + buffered;
}

/** Whether engine.io's packet buffer is empty (what was queued has gone to the transport). */
export function engineBufferEmpty(conn: EngineSocket): boolean {
  return !queuedInEngine(conn as unknown as EngineInternals);
}

// An engine.io without `writeBuffer` counts as having nothing queued: the cap then rests on
// the WebSocket's own buffer, rather than on a count that would never reset.
function queuedInEngine(engine: EngineInternals): boolean {
  return (engine.writeBuffer?.length ?? 0) !== 0;
}

/**
 * Ends a connection at once, dropping what it had queued: a client that stopped reading would
 * otherwise hold it (and a WebSocket close handshake, queued behind it, would wait 30 s).
 */
export function abortConnection(conn: EngineSocket): void {
  const engine = conn as unknown as EngineInternals;
  if (engine.writeBuffer) engine.writeBuffer.length = 0;
  const ws = engine.transport?.socket;
  if (engine.transport?.name === "websocket" && ws && typeof ws.terminate === "function") ws.terminate();
  else conn.close(true);
}
