import * as T from "./types.js";

/** The Socket.IO protocol revision this codec speaks. */
export const protocol = 5;

/** Packet types of Socket.IO protocol v5; the digit that opens every packet. */
export enum PacketType {
  CONNECT = T.CONNECT,
  DISCONNECT = T.DISCONNECT,
  EVENT = T.EVENT,
  ACK = T.ACK,
  CONNECT_ERROR = T.CONNECT_ERROR,
  BINARY_EVENT = T.BINARY_EVENT,
  BINARY_ACK = T.BINARY_ACK,
}

/** One Socket.IO packet, as both halves see it before encoding and after decoding. */
export interface Packet {
  type: PacketType;
  /** The namespace, `/` by default. */
  nsp: string;
  data?: any;
  /** The ack id of an EVENT that wants an answer, or of the ACK that answers it. */
  id?: number;
  /** How many binary attachments follow a BINARY_EVENT or BINARY_ACK header. */
  attachments?: number;
}

/**
 * Event names that a peer can never send: each side emits them itself, so an incoming
 * EVENT with one of them would impersonate the library.
 */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/** A JSON reviver or replacer, as `JSON.parse` and `JSON.stringify` take them. */
export type JSONTransform = (this: any, key: string, value: any) => any;
