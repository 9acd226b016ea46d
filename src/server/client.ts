import type { IncomingMessage } from "node:http";
import type { Socket as EngineSocket } from "engine.io";
import createDebug from "debug";
import { PacketType, type Packet } from "../parser/index.js";
import type { WriteOptions } from "./adapter.js";
import { MESSAGES, type DisconnectReason } from "./constants.js";
import type { Server } from "./server.js";
import type { Socket } from "./socket.js";
import type { Namespace } from "./namespace.js";
import { abortConnection, engineBufferEmpty, framesOf, idleTransport, pendingBytes, writeFrames } from "./direct-write.js";

const debug = createDebug("rtio:server:client");

/** What the server needs from a parser module (ours, or socket.io-msgpack-parser). */
export interface ParserDecoder {
  add(chunk: unknown): void;
  on(event: "decoded", listener: (packet: Packet) => void): unknown;
  destroy(): void;
}

/**
 * One Engine.IO connection: decodes what arrives, routes each packet to the namespace
 * Socket it belongs to, and writes what the Sockets send. A connection that never joins a
 * namespace is closed after `connectTimeout`.
 */
export class Client {
  readonly conn: EngineSocket;
  readonly id: string;
  private readonly server: Server<any, any, any, any>;
  private readonly decoder: ParserDecoder;
  /**
   * The connected socket of each joined namespace: nearly every connection joins one, so the
   * first lives in a field and a Map (~180 B) exists only beside it. `first` is always older
   * than what `others` holds (it is filled only when both are empty), so the join order stays.
   */
  private first: Socket | undefined;
  private others: Map<string, Socket> | undefined;
  /** Namespaces whose join is under way (middlewares, dynamic namespace checks). */
  private joining: Set<string> | undefined;
  /** Set when a CONNECT came for a namespace still joining: the connection closes once it is decided. */
  private closeAfterJoin = false;
  private connectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Bytes written into engine.io's packet buffer since it was last seen empty. */
  private queued = 0;

  constructor(server: Server<any, any, any, any>, conn: EngineSocket) {
    this.server = server;
    this.conn = conn;
    this.id = (conn as unknown as { id: string }).id;
    this.decoder = new server._parser.Decoder({ maxAttachments: server._maxAttachments }) as ParserDecoder;
    this.setup();
  }

  /** The first HTTP request of the connection, kept by engine.io. */
  get request(): IncomingMessage {
    return this.conn.request;
  }

  private setup(): void {
    this.decoder.on("decoded", (packet) => this.ondecoded(packet));
    compactListenerList(this.decoder);
    this.conn.on("data", (data: unknown) => this.ondata(data));
    this.conn.on("error", onEngineError);
    this.conn.on("close", (reason: string, description?: unknown) => this.onclose(reason as DisconnectReason, description));
    if (this.conn.protocol === 3) {
      // Engine.IO v3 clients (socket.io-client 2.x) join "/" without sending CONNECT.
      this.connect("/", {});
      return;
    }
    const timeout = this.server._connectTimeout;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined;
      if (this.first === undefined && this.others === undefined) {
        debug("no namespace joined after %dms, closing %s", timeout, this.id);
        this.close();
      }
    }, timeout);
  }

  private ondata(data: unknown): void {
    try {
      this.decoder.add(data);
    } catch (err) {
      // The app's own errors are caught in ondecoded: whatever reaches here is bad input,
      // from our codec or from a custom parser (whose errors are not ParserErrors).
      debug("invalid packet from %s: %s", this.id, (err as Error)?.message);
      this.closeForBadInput();
    }
  }

  private ondecoded(packet: Packet): void {
    const { nsp, auth } = this.parseNamespace(packet);
    const socket = this.socketOf(nsp);
    if (!socket && packet.type === PacketType.CONNECT && !this.joining?.has(nsp)) {
      this.connect(nsp, auth);
    } else if (socket && packet.type !== PacketType.CONNECT && packet.type !== PacketType.CONNECT_ERROR) {
      try {
        socket._onpacket(packet);
      } catch (err) {
        // An ack callback of the app threw: its bug, reported on the socket, not bad input.
        socket._onerror(err as Error);
      }
    } else if (packet.type === PacketType.CONNECT && this.joining?.has(nsp)) {
      // Honour the first join, then close: the client broke the protocol, but a socket the
      // app may already be setting up must get its disconnect like any other.
      debug("second CONNECT for %s while joining", nsp);
      this.closeAfterJoin = true;
    } else {
      debug("packet of type %d for namespace %s in the wrong state", packet.type, nsp);
      this.closeForBadInput();
    }
  }

  private joinDone(name: string): void {
    // Dropped once empty: an idle connection should not keep an empty Set (~180 B).
    if (this.joining?.delete(name) && this.joining.size === 0) this.joining = undefined;
    if (this.closeAfterJoin && !this.joining?.size) this.closeForBadInput();
  }

  // socket.io-client 2.x puts the query of a namespace in its name ("/chat?token=1").
  private parseNamespace(packet: Packet): { nsp: string; auth: Record<string, unknown> } {
    const auth = (packet.data ?? {}) as Record<string, unknown>;
    if (this.conn.protocol !== 3 || !packet.nsp.includes("?")) return { nsp: packet.nsp, auth };
    const at = packet.nsp.indexOf("?");
    const query = Object.fromEntries(new URLSearchParams(packet.nsp.slice(at + 1)));
    return { nsp: packet.nsp.slice(0, at), auth: query };
  }

  private connect(name: string, auth: Record<string, unknown>): void {
    // A second CONNECT while the first is still being decided would create a second socket.
    (this.joining ??= new Set()).add(name);
    if (this.server._nsps.has(name)) return this.doConnect(name, auth);
    this.server._checkNamespace(name, auth, (dynamic) => {
      if (dynamic) return this.doConnect(name, auth);
      debug("invalid namespace %s", name);
      this._packet({
        type: PacketType.CONNECT_ERROR,
        nsp: name,
        data: this.conn.protocol === 3 ? MESSAGES.invalidNamespace : { message: MESSAGES.invalidNamespace },
      });
      this.joinDone(name);
    });
  }

  private doConnect(name: string, auth: Record<string, unknown>): void {
    const nsp: Namespace = this.server.of(name);
    nsp
      ._add(this, auth, (socket) => {
        this.addSocket(socket);
        this.clearConnectTimer();
      })
      .catch((err: unknown) => {
        // A middleware or an adapter threw: refuse this namespace, keep the process and the connection.
        debug("connecting to %s failed: %s", name, (err as Error)?.stack ?? err);
        this._packet({ type: PacketType.CONNECT_ERROR, nsp: name, data: { message: "Internal server error" } });
      })
      .finally(() => this.joinDone(name));
  }

  /** Forgets a socket that left its namespace. */
  _remove(socket: Socket): void {
    if (this.first === socket) {
      this.first = undefined;
    } else if (this.others?.get(socket.nsp.name) === socket) {
      this.others.delete(socket.nsp.name);
    } else {
      return;
    }
    if (this.first === undefined && this.others?.size === 0) this.others = undefined;
  }

  private socketOf(name: string): Socket | undefined {
    return this.first?.nsp.name === name ? this.first : this.others?.get(name);
  }

  private addSocket(socket: Socket): void {
    const name = socket.nsp.name;
    if (this.first?.nsp.name === name || (this.first === undefined && this.others === undefined)) {
      this.first = socket;
    } else {
      (this.others ??= new Map()).set(name, socket);
    }
  }

  /** A copy in join order, safe to iterate while sockets remove themselves. */
  private sockets(): Socket[] {
    const all = this.first ? [this.first] : [];
    if (this.others) for (const socket of this.others.values()) all.push(socket);
    return all;
  }

  /** Encodes (unless already encoded) and writes one packet. */
  _packet(packet: Packet | unknown[], opts: WriteOptions = {}): void {
    if (this.conn.readyState !== "open") return debug("ignoring packet write on a closed connection");
    const encoded = opts.preEncoded ? (packet as unknown[]) : this.server.encoder.encode(packet as Packet);
    this.writeToEngine(encoded, opts);
  }

  /**
   * Writes encoded packets as they are; adapters call this directly for broadcasts. A client
   * that stopped reading is cut off once `maxBufferedBytes` wait for it (see `overflows`).
   */
  writeToEngine(encodedPackets: unknown[] | unknown, opts: WriteOptions): void {
    if (opts.volatile && !this.conn.transport.writable) return debug("volatile packet dropped");
    const packets = Array.isArray(encodedPackets) ? encodedPackets : [encodedPackets];
    const size = opts.wsFrames ? opts.wsFrames.bytes.length : sizeOf(packets);
    if (this.overflows(size)) return this.closeForOverflow();
    // Volatile packets keep engine.io's path: its "not writable while sending" is what drops them.
    if (!opts.volatile && this.writeDirect(packets, opts)) return;
    this.queued += size;
    for (const encoded of packets) this.conn.write(encoded as string, opts as Parameters<EngineSocket["write"]>[1]);
  }

  /**
   * Writes framed packets straight to an idle WebSocket (see direct-write.ts): a broadcast of
   * ours comes framed; anything else (an ack, an emit, a foreign adapter's broadcast) is framed
   * here, once per encoded array.
   */
  private writeDirect(packets: unknown[], opts: WriteOptions): boolean {
    const transport = idleTransport(this.conn);
    if (transport === undefined) return false;
    const frames = opts.wsFrames ?? framesOf(packets);
    return frames !== undefined && writeFrames(transport, frames);
  }

  /**
   * Whether writing `size` more bytes would pass `maxBufferedBytes`. A single packet larger
   * than the cap still goes when nothing is waiting: the cap bounds a backlog, not a message.
   */
  private overflows(size: number): boolean {
    const max = this.server._maxBufferedBytes;
    if (!(max > 0)) return false;
    if (engineBufferEmpty(this.conn)) this.queued = 0;
    const pending = pendingBytes(this.conn, this.queued);
    return pending > 0 && pending + size > max;
  }

  /** Disconnects every socket of this connection, then closes it. */
  _disconnect(): void {
    for (const socket of this.sockets()) socket.disconnect();
    this.close();
  }

  private close(): void {
    if (this.conn.readyState === "open") this.conn.close();
    this.onclose("forced server close");
  }

  private closeForOverflow(): void {
    debug("%s stopped reading: over maxBufferedBytes, closing", this.id);
    this.onclose("write buffer full");
    abortConnection(this.conn);
  }

  private closeForBadInput(): void {
    this.onclose("parse error");
    this.conn.close();
  }

  private onclose(reason: DisconnectReason, description?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    debug("client %s closed (%s)", this.id, reason);
    this.clearConnectTimer();
    this.releaseClosingTransport();
    this.decoder.destroy();
    for (const socket of this.sockets()) socket._onclose(reason, description);
    this.first = undefined;
    this.others = undefined;
  }

  /**
   * engine.io closes a polling transport whose client is not polling with a ref'd 30 s timer
   * (waiting for one last poll to carry the close packet), so a process could not exit for
   * 30 s after a ping timeout. The session is over and nobody will poll it again: close now.
   * `shouldClose` is that pending close in engine.io 6.x; absent elsewhere, this does nothing.
   */
  private releaseClosingTransport(): void {
    const transport = this.conn.transport as unknown as { shouldClose?: (() => void) | undefined };
    const pending = transport?.shouldClose;
    if (typeof pending !== "function") return;
    transport.shouldClose = undefined;
    pending();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer === undefined) return;
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }
}

/**
 * component-emitter (the base of socket.io parsers' decoders) pushes a first listener onto an
 * empty array, which gives the array room for 17: 152 bytes kept by every idle connection. A
 * copy holds just the one. The emitter only reads, pushes to and splices that list, so a copy
 * is the same list; any other shape is left alone.
 */
function compactListenerList(decoder: unknown): void {
  const callbacks = (decoder as { _callbacks?: Record<string, unknown> })._callbacks;
  const list = callbacks?.$decoded;
  if (Array.isArray(list)) callbacks!.$decoded = list.slice();
}

/** Engine errors are logged only; one function for every connection, not a closure each. */
function onEngineError(this: EngineSocket, err: Error): void {
  debug("engine error on %s: %s", (this as unknown as { id: string }).id, err.message);
}

/** The bytes (UTF-16 units for text, close enough) of encoded packets. */
function sizeOf(packets: unknown[]): number {
  let size = 0;
  for (const p of packets) {
    if (typeof p === "string") size += p.length;
    else if (p instanceof ArrayBuffer || ArrayBuffer.isView(p)) size += p.byteLength;
  }
  return size;
}
