import { createRequire } from "node:module";

type FrameFn = (data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }) => unknown;

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

/**
 * Builds, once per broadcast, the WebSocket frame of a one-string packet ("4" being the
 * Engine.IO message type), so that every WebSocket recipient gets the same bytes without
 * framing them again. Undefined when it cannot be built; the transport then frames as usual.
 */
export function preEncodeFrame(encoded: unknown[]): unknown {
  if (encoded.length !== 1 || typeof encoded[0] !== "string") return undefined;
  const frame = loadFrame();
  if (!frame) return undefined;
  return frame(Buffer.from("4" + encoded[0]), { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true });
}
