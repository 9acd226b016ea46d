// The events the chat page and the chat server exchange: one typed map per direction, shared
// by both halves so a renamed event fails to compile on both sides.

/** A text message as the server relays it. */
export interface ChatMessage {
  id: string;
  room: string;
  from: string;
  text: string;
  at: number;
}

/** A picture as the server relays it: the bytes travel as a binary attachment. */
export interface ChatPicture {
  id: string;
  room: string;
  from: string;
  name: string;
  type: string;
  data: ArrayBuffer | Uint8Array;
  at: number;
}

/** What the sender gets back: where its message landed, or why it did not. */
export type Ack<T> = { ok: true; value: T } | { ok: false; error: string };

export interface RoomHistory {
  room: string;
  members: string[];
  messages: ChatMessage[];
}

export interface ClientToServerEvents {
  join: (room: string, ack: (res: Ack<RoomHistory>) => void) => void;
  leave: (room: string, ack: (res: Ack<string>) => void) => void;
  message: (room: string, text: string, ack: (res: Ack<ChatMessage>) => void) => void;
  picture: (room: string, picture: { name: string; type: string; data: ArrayBuffer }, ack: (res: Ack<{ id: string }>) => void) => void;
  typing: (room: string, typing: boolean) => void;
}

export interface ServerToClientEvents {
  /** Who is in `room` now; sent to everyone so the room list stays live. */
  presence: (room: string, members: string[]) => void;
  message: (message: ChatMessage) => void;
  picture: (picture: ChatPicture) => void;
  typing: (room: string, nickname: string, typing: boolean) => void;
}

export interface SocketData {
  nickname: string;
}

/** Limits both halves check: the page to tell the user early, the server because pages lie. */
export const LIMITS = {
  nickname: 24,
  room: 32,
  text: 2000,
  /** 2 MiB: under the server's maxHttpBufferSize (3 MB), with room for the packet header. */
  picture: 2 * 1024 * 1024,
  historyPerRoom: 50,
} as const;

export const DEFAULT_ROOMS = ["general", "random"] as const;

/** Why a nickname or room name is refused, or undefined if it is fine. */
export function checkName(kind: "nickname" | "room", value: unknown): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return `Please enter a ${kind}.`;
  if (value.trim().length > LIMITS[kind]) return `A ${kind} has at most ${LIMITS[kind]} characters.`;
  if (!/^[\p{L}\p{N} _.-]+$/u.test(value.trim())) return `A ${kind} may use letters, digits, spaces, "_", "." and "-".`;
  return undefined;
}

/** Why a picture is refused, or undefined if it may be sent. */
export function checkPicture(type: string, size: number): string | undefined {
  if (!type.startsWith("image/")) return `Only pictures can be sent (this file is ${type || "of an unknown type"}).`;
  if (size > LIMITS.picture) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    return `This picture is ${mb(size)} MB; the limit is ${mb(LIMITS.picture)} MB.`;
  }
  return undefined;
}
