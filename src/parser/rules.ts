// The one validation table: what each packet type may carry. The decoder and
// isPacketValid both read it, so the two can never disagree.
import { PacketType, RESERVED_EVENTS, type Packet } from "./packet.js";

export interface TypeRule {
  /** The header carries an attachment count (`51-`). */
  readonly binary: boolean;
  readonly ackId: "never" | "optional" | "required";
  /** Checks the decoded JSON payload; `undefined` stands for no payload at all. */
  readonly payload: (data: unknown) => boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `name` can be sent as an event name: a string that is not reserved, or a number. */
export function isEventName(name: unknown): boolean {
  return typeof name === "number" || (typeof name === "string" && !RESERVED_EVENTS.has(name));
}

function isEvent(data: unknown): boolean {
  return Array.isArray(data) && data.length > 0 && isEventName(data[0]);
}

// EVENT: a non-empty array that starts with an event name that is not reserved.
const EVENT_RULE = { ackId: "optional", payload: isEvent } as const;
// ACK: an array of arguments.
const ACK_RULE = { ackId: "required", payload: Array.isArray } as const;

export const RULES: Readonly<Record<PacketType, TypeRule>> = {
  [PacketType.CONNECT]: { binary: false, ackId: "never", payload: (d) => d === undefined || isPlainObject(d) },
  [PacketType.DISCONNECT]: { binary: false, ackId: "never", payload: (d) => d === undefined },
  [PacketType.EVENT]: { binary: false, ...EVENT_RULE },
  [PacketType.ACK]: { binary: false, ...ACK_RULE },
  [PacketType.CONNECT_ERROR]: { binary: false, ackId: "never", payload: (d) => typeof d === "string" || isPlainObject(d) },
  [PacketType.BINARY_EVENT]: { binary: true, ...EVENT_RULE },
  [PacketType.BINARY_ACK]: { binary: true, ...ACK_RULE },
};

export function ruleOf(type: unknown): TypeRule | undefined {
  return typeof type === "number" ? RULES[type as PacketType] : undefined;
}

/** Whether `id` is allowed for this rule; ack ids are non-negative safe integers. */
export function isAckIdAllowed(rule: TypeRule, id: unknown): boolean {
  if (id === undefined) return rule.ackId !== "required";
  return rule.ackId !== "never" && typeof id === "number" && Number.isSafeInteger(id) && id >= 0;
}

/** Whether a packet, decoded here or built by hand, is one the protocol allows. */
export function isPacketValid(packet: Packet): boolean {
  const rule = ruleOf(packet?.type);
  return (
    rule !== undefined &&
    typeof packet.nsp === "string" &&
    packet.nsp.startsWith("/") &&
    isAckIdAllowed(rule, packet.id) &&
    rule.payload(packet.data)
  );
}
