import { createRequire } from "node:module";

type FrameFn = (data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }) => Buffer[];

const OPCODE_TEXT = 1;
const OPCODE_BINARY = 2;

let frameFn: FrameFn | null | undefined;

// The `ws` that engine.io itself uses (its dependency, not ours): a frame built by that
// copy's Sender is one its transport can send as is.
function loadFrame(): FrameFn | null {
  if (frameFn !== undefined) return frameFn;
  try {
    const require = createRequire(import.meta.url);
    const fromEngine = createRequire(require.resolve("engine.io"));
    const ws = fromEngine("ws") as { Sender?: { frame?: FrameFn } };
    frameFn = typeof ws.Sender?.frame === "function" ? ws.Sender.frame.bind(ws.Sender) : null;
  } catch {
    frameFn = null;
  }
  return frameFn;
}

/** Every encoded part of one broadcast, framed for WebSocket once, for all its recipients. */
export interface WireFrames {
  /** The frames back to back: one write per recipient. */
  readonly bytes: Buffer;
  /** Whether a part is binary: only a transport that takes binary frames may send it as is. */
  readonly binary: boolean;
}

/**
 * Frames every part of an encoded packet (header and binary attachments, each an Engine.IO
 * message of its own) into one buffer, as engine.io's websocket transport would frame them
 * one by one: text as "4" + string, binary as is. Undefined if a part is neither.
 */
export function wireFrames(encoded: unknown[]): WireFrames | undefined {
  const frame = loadFrame();
  if (!frame) return undefined;
  const chunks: Buffer[] = [];
  let binary = false;
  for (const part of encoded) {
    if (typeof part === "string") {
      chunks.push(...frame(Buffer.from("4" + part), frameOptions(OPCODE_TEXT)));
      continue;
    }
    const bytes = toBuffer(part);
    if (!bytes) return undefined;
    binary = true;
    chunks.push(...frame(bytes, frameOptions(OPCODE_BINARY)));
  }
  return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), binary };
}

// readOnly false: the data is never masked (server frames), so it is not copied either.
function frameOptions(opcode: number) {
  return { readOnly: false, mask: false, rsv1: false, opcode, fin: true };
}

function toBuffer(part: unknown): Buffer | undefined {
  if (Buffer.isBuffer(part)) return part;
  if (part instanceof ArrayBuffer) return Buffer.from(part);
  if (ArrayBuffer.isView(part)) return Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  return undefined;
}
