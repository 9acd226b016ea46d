// The one validation table: what each packet type may carry. The decoder and
// isPacketValid both read it, so the two can never disagree.
import { RESERVED_EVENTS, type Packet } from "./packet.js";

// Whether a packet of a type may carry an ack id: numbers, where names would be repeated strings.
export const NEVER = 0;
export const OPTIONAL = 1;
export const REQUIRED = 2;

// The fields are underscored like private members, so the browser bundles' minifier shortens
// them: the table never leaves the codec.
export interface TypeRule {
  readonly _ackId: typeof NEVER | typeof OPTIONAL | typeof REQUIRED;
  /** Checks the decoded JSON payload; `undefined` stands for no payload at all. */
  readonly _payload: (data: unknown) => boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `name` can be sent as an event name: a string that is not reserved, or a number. */
export function isEventName(name: unknown): boolean {
  return typeof name === "number" || (typeof name === "string" && !RESERVED_EVENTS.has(name));
}

// EVENT: a non-empty array that starts with an event name that is not reserved.
const EVENT_RULE: TypeRule = { _ackId: OPTIONAL, _payload: (d) => Array.isArray(d) && d.length > 0 && isEventName(d[0]) };
// ACK: an array of arguments.
const ACK_RULE: TypeRule = { _ackId: REQUIRED, _payload: Array.isArray };

/**
 * The rule of each PacketType, at its index. BINARY_EVENT and BINARY_ACK follow the rules of
 * EVENT and ACK; their header also carries an attachment count (`51-`).
 */
export const RULES: ReadonlyArray<TypeRule | undefined> = [
  /* CONNECT */ { _ackId: NEVER, _payload: (d) => d === undefined || isPlainObject(d) },
  /* DISCONNECT */ { _ackId: NEVER, _payload: (d) => d === undefined },
  /* EVENT */ EVENT_RULE,
  /* ACK */ ACK_RULE,
  /* CONNECT_ERROR */ { _ackId: NEVER, _payload: (d) => typeof d === "string" || isPlainObject(d) },
  /* BINARY_EVENT */ EVENT_RULE,
  /* BINARY_ACK */ ACK_RULE,
];

/** Whether `id` is allowed for this rule; ack ids are non-negative safe integers. */
export function isAckIdAllowed(rule: TypeRule, id: unknown): boolean {
  if (id === undefined) return rule._ackId !== REQUIRED;
  return rule._ackId !== NEVER && typeof id === "number" && Number.isSafeInteger(id) && id >= 0;
}

/** Whether a packet, decoded here or built by hand, is one the protocol allows. */
export function isPacketValid(packet: Packet): boolean {
  const rule = typeof packet?.type === "number" ? RULES[packet.type] : undefined;
  return (
    rule !== undefined &&
    typeof packet.nsp === "string" &&
    packet.nsp.startsWith("/") &&
    isAckIdAllowed(rule, packet.id) &&
    rule._payload(packet.data)
  );
}
