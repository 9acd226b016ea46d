// Binary attachments: finding them, swapping them for placeholders, putting them back.
import { parserError } from "./errors.js";

/** What the encoder sends as a separate binary frame. */
export type Attachment = ArrayBuffer | ArrayBufferView | Blob;

const hasOwn = Object.prototype.hasOwnProperty;

/** True for Buffer, ArrayBuffer, every ArrayBuffer view, Blob and File. */
export function isBinary(value: unknown): value is Attachment {
  // Views first: Buffer, the common case in Node, is one.
  // File extends Blob, so the Blob check covers both.
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || (typeof Blob === "function" && value instanceof Blob);
}

/** Does `value` hold binary anywhere, at any depth, as JSON.stringify would walk it? */
export function hasBinary(value: unknown): boolean {
  return deconstruct(value, [], 0, "") !== undefined;
}

export interface Placeholder {
  _placeholder: true;
  num: number;
}

/**
 * A copy of `value` with every binary replaced by `{_placeholder: true, num}`, the binaries
 * pushed to `out` in placeholder order; `num` counts from index `first` of `out`. One walk
 * both finds and replaces, and only the path to a binary is copied. Returns undefined when
 * `value` holds no binary: nothing was copied (a plain event allocates nothing here), and the
 * caller keeps `value` itself. A copy always holds a placeholder, so it is never undefined.
 * The input is never mutated: the same data may be broadcast or retried.
 * @param key what `toJSON` receives, as JSON.stringify would pass it; a number is turned
 *   into a string only if some `toJSON` asks
 */
export function deconstruct(value: unknown, out: unknown[], first: number, key: string | number): object | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  // A copy (made by slice or spread) already holds every unchanged child, so only a changed
  // child is written into it.
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      // A primitive holds no binary: skipped without a call.
      if (typeof child !== "object" || child === null) continue;
      const next = deconstruct(child, out, first, i);
      if (next) (copy ??= value.slice())[i] = next;
    }
    return copy;
  }
  // A plain object is never binary itself: the prototype check skips the class checks for it.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && isBinary(value)) {
    const placeholder: Placeholder = { _placeholder: true, num: out.push(value) - 1 - first };
    return placeholder;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  // Without binary, JSON.stringify calls toJSON again itself: the original is kept.
  if (typeof toJSON === "function") return deconstruct(toJSON.call(value, String(key)), out, first, key);
  let copy: Record<string, unknown> | undefined;
  for (const k in value) {
    const child = (value as Record<string, unknown>)[k];
    if (typeof child !== "object" || child === null || !hasOwn.call(value, k)) continue;
    const next = deconstruct(child, out, first, k);
    // A spread copies `__proto__` as an own key too, where `copy.__proto__ = x` would not.
    if (next) defineValue((copy ??= { ...value }), k, next);
  }
  return copy;
}

/**
 * Puts the attachments back in place of their placeholders, in place. Every placeholder must
 * name an attachment that arrived; anything else is a hostile or broken peer.
 */
export function reconstruct(value: unknown, attachments: readonly unknown[]): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === "object" && child !== null) value[i] = reconstruct(child, attachments);
    }
    return value;
  }
  if ((value as { _placeholder?: unknown })._placeholder === true) {
    // `num` may be anything: Number.isInteger, false for every non-number, checks it first.
    const num = (value as { num?: unknown }).num as number;
    if (!Number.isInteger(num) || num < 0 || num >= attachments.length) throw parserError("INVALID_PLACEHOLDER", JSON.stringify(num));
    return attachments[num];
  }
  // JSON.parse output: every key is own, so for-in needs no hasOwnProperty (and, unlike
  // Object.keys, allocates no array).
  for (const k in value) {
    const child = (value as Record<string, unknown>)[k];
    if (typeof child === "object" && child !== null) {
      const next = reconstruct(child, attachments);
      if (next !== child) defineValue(value as Record<string, unknown>, k, next);
    }
  }
  return value;
}

// `record.__proto__ = x` would replace the prototype instead of setting a key: define it.
// Every caller's record already has `key` as an own data property, so only the value changes.
function defineValue(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(record, key, { value });
  } else {
    record[key] = value;
  }
}
