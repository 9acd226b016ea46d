// Binary attachments: finding them, swapping them for placeholders, putting them back.
import { ParserError } from "./errors.js";

/** What the encoder sends as a separate binary frame. */
export type Attachment = ArrayBuffer | ArrayBufferView | Blob;

// File extends Blob, so the Blob check covers both.
const hasBlob = typeof Blob === "function";

/** True for Buffer, ArrayBuffer, every ArrayBuffer view, Blob and File. */
export function isBinary(value: unknown): value is Attachment {
  // Views first: Buffer, the common case in Node, is one.
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || (hasBlob && value instanceof Blob);
}

function hasToJSON(value: object): value is { toJSON(key: string): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}

/**
 * Does `value` hold binary anywhere, at any depth, as JSON.stringify would walk it? Runs on
 * every outgoing event, so it allocates nothing: the key that `toJSON` receives is only
 * built when some `toJSON` needs it.
 */
export function hasBinary(value: unknown, key: string | number = ""): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (hasBinary(value[i], i)) return true;
    }
    return false;
  }
  // A plain object is never binary itself: skip the class checks for the common case.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && isBinary(value)) return true;
  if (hasToJSON(value)) return hasBinary(value.toJSON(String(key)), key);
  for (const k in value) {
    if (hasBinary((value as Record<string, unknown>)[k], k) && Object.prototype.hasOwnProperty.call(value, k)) {
      return true;
    }
  }
  return false;
}

export interface Placeholder {
  _placeholder: true;
  num: number;
}

/**
 * A copy of `value` with every binary replaced by `{_placeholder: true, num}`, the binaries
 * pushed to `out` in placeholder order; `num` counts from index `first` of `out`. The input is
 * never mutated: the same data may be broadcast or retried.
 */
export function deconstruct(value: unknown, out: unknown[], first = 0, key = ""): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isBinary(value)) {
    const placeholder: Placeholder = { _placeholder: true, num: out.length - first };
    out.push(value);
    return placeholder;
  }
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = deconstruct(value[i], out, first, String(i));
    return copy;
  }
  if (hasToJSON(value)) return deconstruct(value.toJSON(key), out, first, key);
  const copy: Record<string, unknown> = {};
  for (const k in value) {
    if (Object.prototype.hasOwnProperty.call(value, k)) {
      defineValue(copy, k, deconstruct((value as Record<string, unknown>)[k], out, first, k));
    }
  }
  return copy;
}

/**
 * Puts the attachments back in place of their placeholders, in place. Every placeholder must
 * name an attachment that arrived; anything else is a hostile or broken peer.
 */
export function reconstruct(value: unknown, attachments: readonly unknown[]): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isPlaceholder(value)) return attachmentAt(value, attachments);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reconstruct(value[i], attachments);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    const child = record[k];
    if (typeof child === "object" && child !== null) defineValue(record, k, reconstruct(child, attachments));
  }
  return value;
}

function isPlaceholder(value: object): value is { _placeholder: true; num: unknown } {
  return (value as { _placeholder?: unknown })._placeholder === true;
}

function attachmentAt(placeholder: { num: unknown }, attachments: readonly unknown[]): unknown {
  const num = placeholder.num;
  if (typeof num !== "number" || !Number.isInteger(num) || num < 0 || num >= attachments.length) {
    throw new ParserError(
      "INVALID_PLACEHOLDER",
      `invalid binary placeholder: num ${JSON.stringify(num)} is not an attachment index below ${attachments.length}`,
    );
  }
  return attachments[num];
}

// `record.__proto__ = x` would replace the prototype instead of setting a key: define it.
function defineValue(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[key] = value;
  }
}
