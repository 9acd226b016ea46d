// MessagePack decoding: every format of the spec, plus notepack.io's extensions (fixext 1 of
// type 0 is `undefined`, other ext type 0 data is binary) and the timestamp extension.

const utf8 = new TextDecoder();

// Binary comes out as a Buffer where there is one (Node, like notepack.io) and as an
// ArrayBuffer in browsers (like socket.io's other binary data).
const NodeBuffer = (globalThis as { Buffer?: { from(data: Uint8Array): Uint8Array } }).Buffer;

class Reader {
  pos = 0;
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length) throw new RangeError("msgpack: unexpected end of data");
    this.pos += n;
    return at;
  }

  u8 = (): number => this.view.getUint8(this.need(1));
  u16 = (): number => this.view.getUint16(this.need(2));
  u32 = (): number => this.view.getUint32(this.need(4));
  take = (n: number): Uint8Array => this.bytes.subarray(this.need(n), this.pos);
}

export function decode(input: ArrayBuffer | ArrayBufferView): unknown {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const r = new Reader(bytes);
  const value = read(r);
  if (r.pos !== bytes.length) throw new RangeError(`msgpack: ${bytes.length - r.pos} trailing bytes`);
  return value;
}

function read(r: Reader): unknown {
  const b = r.u8();
  if (b < 0x80) return b;
  if (b < 0x90) return map(r, b & 0x0f);
  if (b < 0xa0) return array(r, b & 0x0f);
  if (b < 0xc0) return utf8.decode(r.take(b & 0x1f));
  if (b >= 0xe0) return b - 0x100;
  switch (b) {
    case 0xc0: return null;
    case 0xc2: return false;
    case 0xc3: return true;
    case 0xc4: return binary(r.take(r.u8()));
    case 0xc5: return binary(r.take(r.u16()));
    case 0xc6: return binary(r.take(r.u32()));
    case 0xc7: return ext(r, r.u8());
    case 0xc8: return ext(r, r.u16());
    case 0xc9: return ext(r, r.u32());
    case 0xca: return r.view.getFloat32(r.need(4));
    case 0xcb: return r.view.getFloat64(r.need(8));
    case 0xcc: return r.u8();
    case 0xcd: return r.u16();
    case 0xce: return r.u32();
    case 0xcf: return r.u32() * 0x100000000 + r.u32();
    case 0xd0: return r.view.getInt8(r.need(1));
    case 0xd1: return r.view.getInt16(r.need(2));
    case 0xd2: return r.view.getInt32(r.need(4));
    case 0xd3: return r.view.getInt32(r.need(4)) * 0x100000000 + r.u32();
    case 0xd4: return ext(r, 1);
    case 0xd5: return ext(r, 2);
    case 0xd6: return ext(r, 4);
    case 0xd7: return ext(r, 8);
    case 0xd8: return ext(r, 16);
    case 0xd9: return utf8.decode(r.take(r.u8()));
    case 0xda: return utf8.decode(r.take(r.u16()));
    case 0xdb: return utf8.decode(r.take(r.u32()));
    case 0xdc: return array(r, r.u16());
    case 0xdd: return array(r, r.u32());
    case 0xde: return map(r, r.u16());
    case 0xdf: return map(r, r.u32());
    default: throw new RangeError(`msgpack: unknown format byte 0x${b.toString(16)}`);
  }
}

function array(r: Reader, length: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) out.push(read(r));
  return out;
}

function map(r: Reader, size: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    const key = String(read(r));
    const value = read(r);
    // A key named __proto__ would otherwise replace the object's prototype.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function binary(data: Uint8Array): unknown {
  return NodeBuffer ? NodeBuffer.from(data) : data.slice().buffer;
}

function ext(r: Reader, length: number): unknown {
  const type = r.view.getInt8(r.need(1));
  const at = r.need(length);
  if (type === -1) return timestamp(r.view, at, length);
  if (type === 0) return length === 1 ? undefined : binary(r.bytes.subarray(at, at + length));
  throw new RangeError(`msgpack: unknown extension type ${type}`);
}

function timestamp(view: DataView, at: number, length: number): Date {
  if (length === 4) return new Date(view.getUint32(at) * 1000);
  if (length === 8) {
    const hi = view.getUint32(at);
    return new Date(((hi & 0x3) * 0x100000000 + view.getUint32(at + 4)) * 1000 + Math.floor(hi / 4) / 1e6);
  }
  if (length === 12) return new Date((view.getInt32(at + 4) * 0x100000000 + view.getUint32(at + 8)) * 1000 + view.getUint32(at) / 1e6);
  throw new RangeError(`msgpack: invalid timestamp of ${length} bytes`);
}
