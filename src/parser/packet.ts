/** The Socket.IO protocol revision this codec speaks. */
export const protocol = 5;

/**
 * Packet types of Socket.IO protocol v5; the digit that opens every packet. The codec and the
 * client use types.ts's plain constants of the same numbers (a unit test holds them equal):
 * literal members keep this enum droppable from bundles that do not export it.
 */
export enum PacketType {
  CONNECT = 0,
  DISCONNECT = 1,
  EVENT = 2,
  ACK = 3,
  CONNECT_ERROR = 4,
  BINARY_EVENT = 5,
  BINARY_ACK = 6,
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
