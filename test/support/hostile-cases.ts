// The hostile inputs, as a table: what a raw client sends once it has joined "/", and what
// the server must do about it. Shared by the hostile wire tests (WebSocket and polling).
import type { HostileClient } from "./hostile-raw.js";

/**
 * - "parse error": the offender's connection is closed and its socket leaves with that reason;
 * - "ignored": the packet has no effect and the connection keeps working;
 * - "delivered": the app receives the event (its name or payload is odd but legal).
 */
export type Outcome = "parse error" | "ignored" | "delivered";

export interface HostileCase {
  group: string;
  name: string;
  send: (c: HostileClient) => void;
  expect: Outcome;
  /** For "delivered": the event name the app must see. */
  event?: string | number;
}

const text = (...packets: string[]) => (c: HostileClient) => c.send(...packets);
const withBinary = (header: string, ...bins: number[][]) => (c: HostileClient) => {
  c.send(header);
  for (const b of bins) c.sendBinary(new Uint8Array(b));
};

const DEEP = 100_000;

export const HOSTILE_CASES: HostileCase[] = [
  // Malformed packets of every type.
  { group: "malformed", name: "CONNECT with an array payload", send: text("0[1]"), expect: "parse error" },
  { group: "malformed", name: "CONNECT with a string payload", send: text('0/admin,"x"'), expect: "parse error" },
  { group: "malformed", name: "DISCONNECT with a payload", send: text('1{"a":1}'), expect: "parse error" },
  { group: "malformed", name: "EVENT with an object payload", send: text('2{"a":1}'), expect: "parse error" },
  { group: "malformed", name: "EVENT with broken JSON", send: text('2["ev",'), expect: "parse error" },
  { group: "malformed", name: "EVENT without payload", send: text("2"), expect: "parse error" },
  { group: "malformed", name: "EVENT with an empty array", send: text("2[]"), expect: "parse error" },
  { group: "malformed", name: "ACK without id", send: text("3[1]"), expect: "parse error" },
  { group: "malformed", name: "ACK with an object payload", send: text('31{"a":1}'), expect: "parse error" },
  { group: "malformed", name: "CONNECT_ERROR sent by a client", send: text('4{"message":"x"}'), expect: "parse error" },
  { group: "malformed", name: "BINARY_EVENT without count", send: text('5-["a"]'), expect: "parse error" },
  { group: "malformed", name: "BINARY_EVENT announcing 0 attachments", send: text('50-["a"]'), expect: "parse error" },
  { group: "malformed", name: "BINARY_ACK without id", send: withBinary('61-[{"_placeholder":true,"num":0}]', [1]), expect: "parse error" },
  { group: "malformed", name: "unknown packet type 7", send: text("7"), expect: "parse error" },
  { group: "malformed", name: "empty Socket.IO packet", send: text(""), expect: "parse error" },
  { group: "malformed", name: "huge ack id", send: text('2999999999999999999["x"]'), expect: "parse error" },
  { group: "malformed", name: "garbage engine.io frame", send: (c) => c.sendRaw("zzz"), expect: "parse error" },
  // Event names.
  { group: "event names", name: "numeric event name", send: text('2[42,"x"]'), expect: "delivered", event: 42 },
  { group: "event names", name: "null event name", send: text("2[null]"), expect: "parse error" },
  { group: "event names", name: "object event name", send: text("2[{}]"), expect: "parse error" },
  { group: "event names", name: "array event name", send: text('2[["a"]]'), expect: "parse error" },
  { group: "event names", name: "boolean event name", send: text("2[true]"), expect: "parse error" },
  { group: "reserved names", name: "'disconnect'", send: text('2["disconnect"]'), expect: "parse error" },
  { group: "reserved names", name: "'connect'", send: text('2["connect"]'), expect: "parse error" },
  { group: "reserved names", name: "'connect_error'", send: text('2["connect_error"]'), expect: "parse error" },
  { group: "reserved names", name: "'disconnecting'", send: text('2["disconnecting","x"]'), expect: "parse error" },
  { group: "reserved names", name: "'newListener'", send: text('2["newListener","x"]'), expect: "parse error" },
  { group: "reserved names", name: "'removeListener'", send: text('2["removeListener","x"]'), expect: "parse error" },
  { group: "reserved names", name: "'error' (never reaches the app)", send: text('2["error","boom"]'), expect: "ignored" },
  // Binary placeholders.
  { group: "placeholders", name: "placeholder num out of range", send: withBinary('51-["a",{"_placeholder":true,"num":5}]', [1]), expect: "parse error" },
  { group: "placeholders", name: "negative placeholder num", send: withBinary('51-["a",{"_placeholder":true,"num":-1}]', [1]), expect: "parse error" },
  { group: "placeholders", name: "string placeholder num", send: withBinary('51-["a",{"_placeholder":true,"num":"0"}]', [1]), expect: "parse error" },
  { group: "placeholders", name: "text while attachments are due", send: (c) => c.send('52-["a",{"_placeholder":true,"num":0}]', '2["b"]'), expect: "parse error" },
  { group: "placeholders", name: "more attachments than announced", send: withBinary('51-["a",{"_placeholder":true,"num":0}]', [1], [2]), expect: "parse error" },
  { group: "placeholders", name: "attachment with no binary packet", send: (c) => c.sendBinary(new Uint8Array([1, 2])), expect: "parse error" },
  { group: "placeholders", name: "11 attachments announced (default max 10)", send: text('511-["a"]'), expect: "parse error" },
  { group: "placeholders", name: "a billion attachments announced", send: text('5999999999-["a"]'), expect: "parse error" },
  { group: "placeholders", name: "placeholder in a plain EVENT stays data", send: text('2["ph",{"_placeholder":true,"num":0}]'), expect: "delivered", event: "ph" },
  // Prototype keys.
  { group: "prototype keys", name: "__proto__ key in a payload", send: text('2["proto",{"__proto__":{"polluted":1}}]'), expect: "delivered", event: "proto" },
  { group: "prototype keys", name: "constructor.prototype in a payload", send: text('2["ctor",{"constructor":{"prototype":{"polluted":1}}}]'), expect: "delivered", event: "ctor" },
  { group: "prototype keys", name: "event named __proto__", send: text('2["__proto__",1]'), expect: "delivered", event: "__proto__" },
  { group: "prototype keys", name: "event named constructor", send: text('2["constructor",1]'), expect: "delivered", event: "constructor" },
  { group: "prototype keys", name: "event named hasOwnProperty", send: text('2["hasOwnProperty",1]'), expect: "delivered", event: "hasOwnProperty" },
  { group: "prototype keys", name: "__proto__ placeholder in a binary packet", send: withBinary('51-["bproto",{"__proto__":{"_placeholder":true,"num":0}}]', [9]), expect: "delivered", event: "bproto" },
  { group: "prototype keys", name: "__proto__ in CONNECT auth", send: text('0/admin,{"__proto__":{"polluted":1}}'), expect: "ignored" },
  // Depth.
  { group: "depth", name: `EVENT nested ${DEEP} deep`, send: text('2["deep",' + "[".repeat(DEEP) + "]".repeat(DEEP) + "]"), expect: "parse error" },
  { group: "depth", name: `BINARY_EVENT nested ${DEEP} deep`, send: withBinary('51-["bdeep",' + "[".repeat(DEEP) + '{"_placeholder":true,"num":0}' + "]".repeat(DEEP) + "]", [1]), expect: "parse error" },
  // Acks and namespaces.
  { group: "acks", name: "ACK for an id never sent", send: text("3999[1]"), expect: "ignored" },
  { group: "acks", name: "BINARY_ACK for an id never sent", send: withBinary('61-999[{"_placeholder":true,"num":0}]', [1]), expect: "ignored" },
  { group: "acks", name: "ACK repeated for one id", send: text("30[1]", "30[1]", "30[1]"), expect: "ignored" },
  { group: "namespaces", name: "EVENT for a namespace never joined", send: text('2/nowhere,["x"]'), expect: "parse error" },
  { group: "namespaces", name: "ACK for a namespace never joined", send: text("3/admin,1[]"), expect: "parse error" },
  { group: "namespaces", name: "DISCONNECT for a namespace never joined", send: text("1/admin,"), expect: "parse error" },
  { group: "namespaces", name: "CONNECT to a namespace that does not exist", send: text("0/nowhere,"), expect: "ignored" },
  { group: "namespaces", name: "second CONNECT to a joined namespace", send: text("0"), expect: "parse error" },
];
