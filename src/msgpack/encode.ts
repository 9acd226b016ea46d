// MessagePack encoding (https://github.com/msgpack/msgpack/blob/master/spec.md), in the
// dialect of notepack.io, which socket.io-msgpack-parser uses: `undefined` is nil, map
// entries whose value is `undefined` or a function are left out, `toJSON()` is honoured,
// integers take the smallest int format and other numbers float 64, Dates are timestamps.

const utf8 = new TextEncoder();

/** A byte buffer that grows by doubling. */
class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Writes a format byte followed by `value` as a big-endian unsigned int of `size` bytes. */
  head(format: number, size: 0 | 1 | 2 | 4, value = 0): void {
    this.ensure(1 + size);
    this.buf[this.pos++] = format;
    if (size === 1) this.view.setUint8(this.pos, value);
    else if (size === 2) this.view.setUint16(this.pos, value);
    else if (size === 4) this.view.setUint32(this.pos, value);
    this.pos += size;
  }

  u32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0);
    this.pos += 4;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
}

export function encode(value: unknown): Uint8Array {
  const w = new Writer();
  write(w, value);
  return w.buf.subarray(0, w.pos);
}

/** Writes a length-prefixed head: the fix format when it fits, else the 8/16/32-bit one. */
function sized(w: Writer, length: number, fix: number | undefined, fixMax: number, f8: number | undefined, f16: number, f32: number): void {
  if (fix !== undefined && length < fixMax) w.head(fix | length, 0);
  else if (f8 !== undefined && length < 0x100) w.head(f8, 1, length);
  else if (length < 0x10000) w.head(f16, 2, length);
  else w.head(f32, 4, length);
}

function write(w: Writer, value: unknown): void {
  switch (typeof value) {
    case "string": {
      const data = utf8.encode(value);
      sized(w, data.length, 0xa0, 0x20, 0xd9, 0xda, 0xdb);
      return w.bytes(data);
    }
    case "number":
      return number(w, value);
    case "boolean":
      return w.head(value ? 0xc3 : 0xc2, 0);
    case "undefined":
      return w.head(0xc0, 0);
    case "object":
      return object(w, value);
    default: {
      const toJSON = (value as { toJSON?: () => unknown } | null)?.toJSON;
      if (typeof toJSON === "function") return write(w, toJSON.call(value));
      throw new TypeError(`cannot encode a value of type ${typeof value}`);
    }
  }
}

function number(w: Writer, n: number): void {
  if (!Number.isSafeInteger(n)) {
    w.head(0xcb, 0);
    w.ensure(8);
    w.view.setFloat64(w.pos, n);
    w.pos += 8;
  } else if (n >= 0) {
    if (n < 0x80) w.head(n, 0);
    else if (n < 0x100) w.head(0xcc, 1, n);
    else if (n < 0x10000) w.head(0xcd, 2, n);
    else if (n < 0x100000000) w.head(0xce, 4, n);
    else int64(w, 0xcf, n);
  } else if (n >= -0x20) w.head(n & 0xff, 0);
  else if (n >= -0x80) w.head(0xd0, 1, n & 0xff);
  else if (n >= -0x8000) w.head(0xd1, 2, n & 0xffff);
  else if (n >= -0x80000000) w.head(0xd2, 4, n >>> 0);
  else int64(w, 0xd3, n);
}

function int64(w: Writer, format: number, n: number): void {
  w.head(format, 0);
  w.u32(Math.floor(n / 0x100000000));
  w.u32(n);
}

function object(w: Writer, value: object | null): void {
  if (value === null) return w.head(0xc0, 0);
  if (Array.isArray(value)) {
    sized(w, value.length, 0x90, 0x10, undefined, 0xdc, 0xdd);
    for (const item of value) write(w, item);
    return;
  }
  if (value instanceof Date) return date(w, value.getTime());
  if (value instanceof ArrayBuffer) return binary(w, new Uint8Array(value));
  if (ArrayBuffer.isView(value)) return binary(w, new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === "function") return write(w, toJSON.call(value));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined && typeof record[k] !== "function");
  sized(w, keys.length, 0x80, 0x10, undefined, 0xde, 0xdf);
  for (const key of keys) {
    write(w, key);
    write(w, record[key]);
  }
}

function binary(w: Writer, data: Uint8Array): void {
  sized(w, data.length, undefined, 0, 0xc4, 0xc5, 0xc6);
  w.bytes(data);
}

// Timestamp extension (type -1): 32-bit seconds when it fits, else 64 (30-bit ns, 34-bit s), else 96.
function date(w: Writer, ms: number): void {
  const s = Math.floor(ms / 1000);
  const ns = (ms - s * 1000) * 1e6;
  if (s >= 0 && s < 0x400000000) {
    if (ns === 0 && s < 0x100000000) {
      w.head(0xd6, 1, 0xff);
      w.u32(s);
    } else {
      w.head(0xd7, 1, 0xff);
      w.u32(ns * 4 + Math.floor(s / 0x100000000));
      w.u32(s);
    }
  } else {
    w.head(0xc7, 1, 12);
    w.head(0xff, 4, ns);
    w.u32(Math.floor(s / 0x100000000));
    w.u32(s);
  }
}
