/**
 * The least a codec can do for the codec scenario's event and ack: the type and ack-id digits,
 * then JSON. No namespace, no checks, no listeners list and, unless asked, no walk for binary.
 * Wrong as a codec; the ablation tool (ablate.ts) times it as the bound below any codec that
 * does socket.io-parser's duties.
 */
import { deconstruct } from "../../src/parser/binary.js";
import { isPlainData } from "../../src/parser/plain-data.js";

interface LeastPacket {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

export function leastParser(walk: boolean) {
  class Encoder {
    encode(packet: LeastPacket): unknown[] {
      let head = "" + packet.type;
      if (packet.id != null) head += packet.id;
      if (!walk) return [head + JSON.stringify(packet.data)];
      // rtio's walk, as the encoder runs it.
      const out: unknown[] = [""];
      const data = isPlainData(packet.data) ? packet.data : (deconstruct(packet.data, out, 1, "") ?? packet.data);
      out[0] = head + JSON.stringify(data);
      return out;
    }
  }
  class Decoder {
    listener: ((packet: LeastPacket) => void) | undefined;
    on(_event: "decoded", listener: (packet: LeastPacket) => void): this {
      this.listener = listener;
      return this;
    }
    add(str: string): void {
      const type = str.charCodeAt(0) - 48;
      let i = 1;
      let id = 0;
      for (let c = str.charCodeAt(1); c >= 48 && c <= 57; c = str.charCodeAt(++i)) id = id * 10 + c - 48;
      const data: unknown = JSON.parse(str.slice(i));
      this.listener?.(i > 1 ? { type, nsp: "/", id, data } : { type, nsp: "/", data });
    }
  }
  return { Encoder, Decoder };
}
