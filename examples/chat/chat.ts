// The chat itself: who may connect, rooms and presence, messages with acks, typing, pictures.
// Everything goes through the socket.io API (rooms, fetchSockets, broadcasts), so the same code
// would run on several servers behind a Redis adapter.
import { randomUUID } from "node:crypto";
import type { Server, Socket } from "../../src/server/index.js";
import {
  checkName,
  checkPicture,
  DEFAULT_ROOMS,
  LIMITS,
  type Ack,
  type ChatMessage,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "./protocol.js";

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Recent messages per room, so a newcomer sees the conversation it joins. */
class History {
  private readonly rooms = new Map<string, ChatMessage[]>();

  add(message: ChatMessage): void {
    const list = this.rooms.get(message.room) ?? [];
    list.push(message);
    if (list.length > LIMITS.historyPerRoom) list.shift();
    this.rooms.set(message.room, list);
  }

  of(room: string): ChatMessage[] {
    return this.rooms.get(room) ?? [];
  }
}

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

// A user's own room (its socket id) is not a chat room.
const chatRooms = (socket: ChatSocket): string[] => [...socket.rooms].filter((r) => r !== socket.id);

/** Installs the chat on `io`: a nickname middleware, then one handler per event. */
export function setupChat(io: ChatServer): void {
  const history = new History();

  // socket.io's way to refuse a connection: the page gets `connect_error` with this message.
  io.use((socket, next) => {
    const nickname = (socket.handshake.auth as { nickname?: unknown }).nickname;
    const problem = checkName("nickname", nickname);
    if (problem) return next(Object.assign(new Error(problem), { data: { field: "nickname" } }));
    socket.data.nickname = (nickname as string).trim();
    next();
  });

  const members = async (room: string): Promise<string[]> => {
    const sockets = await io.in(room).fetchSockets();
    return [...new Set(sockets.map((s) => s.data.nickname))].sort();
  };
  const announce = async (room: string): Promise<void> => {
    io.emit("presence", room, await members(room));
  };

  io.on("connection", (socket) => {
    // Everyone sees the default rooms and the ones in use, even before joining any.
    const known = new Set<string>([...DEFAULT_ROOMS, ...io.of("/").adapter.rooms.keys()].filter((r) => !io.of("/").sockets.has(r)));
    for (const room of known) void members(room).then((m) => socket.emit("presence", room, m));

    socket.on("join", async (room, ack) => {
      if (typeof ack !== "function") return;
      const problem = checkName("room", room);
      if (problem) return ack(fail(problem));
      room = room.trim();
      await socket.join(room);
      await announce(room);
      ack({ ok: true, value: { room, members: await members(room), messages: history.of(room) } });
    });

    socket.on("leave", async (room, ack) => {
      if (typeof ack !== "function") return;
      await socket.leave(room);
      await announce(room);
      ack({ ok: true, value: room });
    });

    socket.on("message", async (room, text, ack) => {
      if (typeof ack !== "function") return;
      if (typeof text !== "string" || text.trim() === "") return ack(fail("An empty message is not sent."));
      if (text.length > LIMITS.text) return ack(fail(`A message has at most ${LIMITS.text} characters.`));
      // A message written while offline arrives before the page has re-joined after a server restart.
      if (!(await rejoin(socket, room))) return ack(fail("Join a room first."));
      const message: ChatMessage = { id: randomUUID(), room, from: socket.data.nickname, text, at: Date.now() };
      history.add(message);
      socket.to(room).emit("message", message);
      ack({ ok: true, value: message });
    });

    socket.on("picture", async (room, picture, ack) => {
      if (typeof ack !== "function") return;
      const data = picture?.data as unknown;
      if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer)) return ack(fail("The picture did not arrive as binary."));
      const problem = checkPicture(String(picture.type ?? ""), data.byteLength);
      if (problem) return ack(fail(problem));
      if (!(await rejoin(socket, room))) return ack(fail("Join a room first."));
      const id = randomUUID();
      socket.to(room).emit("picture", {
        id, room, from: socket.data.nickname, name: String(picture.name ?? "picture"), type: picture.type, data, at: Date.now(),
      });
      ack({ ok: true, value: { id } });
    });

    socket.on("typing", (room, typing) => {
      // Volatile: a lost "is typing" is better than a late one.
      if (socket.rooms.has(room)) socket.to(room).volatile.emit("typing", room, socket.data.nickname, !!typing);
    });

    socket.on("disconnecting", () => {
      const rooms = chatRooms(socket);
      // The socket leaves its rooms right after "disconnecting": announce once it has.
      socket.once("disconnect", () => {
        for (const room of rooms) void announce(room);
      });
    });

    async function rejoin(s: ChatSocket, room: string): Promise<boolean> {
      if (s.rooms.has(room)) return true;
      if (checkName("room", room)) return false;
      await s.join(room);
      await announce(room);
      return true;
    }
  });
}

export type { Ack };
