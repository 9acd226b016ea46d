import { hash } from "node:crypto";
import { STATUS_CODES, type IncomingMessage } from "node:http";

/** RFC 6455 §1.3: appended to the client's key to prove the server speaks WebSocket. */
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** 16 random bytes in base64 (§4.1). */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** An RFC 7230 token: what a subprotocol name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export type UpgradeCheck =
  | { ok: true; key: string; protocol: string | undefined }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

/**
 * Whether an upgrade request is a WebSocket opening handshake this server can accept (§4.2.1),
 * with the messages `ws` gives when it is not. The first subprotocol offered is chosen, as
 * `ws` does when no selection hook is set.
 */
export function checkUpgrade(req: IncomingMessage): UpgradeCheck {
  if (req.method !== "GET") return { ok: false, status: 405, message: "Invalid HTTP method" };
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== "websocket") {
    return { ok: false, status: 400, message: "Invalid Upgrade header" };
  }
  const key = req.headers["sec-websocket-key"];
  if (key === undefined || !KEY.test(key)) {
    return { ok: false, status: 400, message: "Missing or invalid Sec-WebSocket-Key header" };
  }
  const version = req.headers["sec-websocket-version"];
  if (version !== "13" && version !== "8") {
    return { ok: false, status: 400, message: "Missing or invalid Sec-WebSocket-Version header", headers: { "Sec-WebSocket-Version": "13, 8" } };
  }
  const offered = req.headers["sec-websocket-protocol"];
  if (offered === undefined) return { ok: true, key, protocol: undefined };
  const protocol = firstProtocol(offered);
  if (protocol === undefined) return { ok: false, status: 400, message: "Invalid Sec-WebSocket-Protocol header" };
  return { ok: true, key, protocol };
}

/** The first of a comma-separated list of distinct tokens; undefined if the list is malformed. */
export function firstProtocol(header: string): string | undefined {
  const names = header.split(",").map((name) => name.trim());
  if (names.some((name) => !TOKEN.test(name)) || new Set(names).size !== names.length) return undefined;
  return names[0];
}

/** The Sec-WebSocket-Accept value for a client's key (§4.2.2). */
export function acceptValue(key: string): string {
  // One-shot hashing: no Hash object per connection (about half the time).
  return hash("sha1", key + GUID, "base64");
}

/** The 101 response's lines, without the blank line that ends them. */
export function switchingProtocols(key: string, protocol: string | undefined): string[] {
  const lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Accept: ${acceptValue(key)}`];
  if (protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return lines;
}

/** A whole HTTP error response refusing an upgrade. */
export function refusal(status: number, message = STATUS_CODES[status] ?? "", headers: Record<string, string> = {}): string {
  const all: Record<string, string | number> = {
    Connection: "close",
    "Content-Type": "text/html",
    "Content-Length": Buffer.byteLength(message),
    ...headers,
  };
  const lines = Object.keys(all).map((name) => `${name}: ${all[name]}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join("\r\n")}\r\n\r\n${message}`;
}
