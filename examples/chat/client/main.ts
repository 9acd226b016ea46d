// The chat page: nickname, rooms with presence, messages with delivery acks, typing, pictures,
// and a visible connection state. `io` is the global from /socket.io/socket.io.min.js.
import { checkName, type Ack, type ChatMessage, type ChatPicture } from "../protocol.js";
import { trackState } from "./connection-state.js";
import { $, h, time } from "./dom.js";
import { connect, type ChatSocket } from "./io.js";
import { imageOf, watchPictures } from "./pictures.js";
import { Rooms } from "./rooms.js";
import { TypingBoard, TypingSender } from "./typing.js";

const loginError = $("login-error");
const chatError = $("chat-error");
const nicknameInput = $<HTMLInputElement>("nickname");
nicknameInput.value = sessionStorage.getItem("nickname") ?? "";

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  const nickname = nicknameInput.value;
  const problem = checkName("nickname", nickname);
  loginError.textContent = problem ?? "";
  if (!problem) start(nickname.trim());
});

function start(nickname: string): void {
  const socket = connect(nickname);
  const rooms = new Rooms({ join, leave, show: (room) => rooms.show(room) });
  const typing = new TypingSender(socket);
  const board = new TypingBoard((room, names) => {
    if (room !== rooms.current) return;
    $("typing").textContent = names.length === 0 ? "" : `${names.join(", ")} ${names.length === 1 ? "is" : "are"} typing…`;
  });
  // Message ids already shown: after a server restart the same message may come both live
  // and in the history a re-join returns.
  const seen = new Set<string>();
  // Sent messages not yet acknowledged, by room and text: a re-join's history may list them first.
  const pending = new Map<string, HTMLElement[]>();
  const takePending = (room: string, text: string): boolean => {
    const items = pending.get(`${room}\n${text}`);
    return items !== undefined && items.length > 0;
  };
  const say = (text: string): void => {
    chatError.textContent = text;
  };

  trackState(socket, (recovered) => {
    sessionStorage.setItem("nickname", nickname);
    $("login").hidden = true;
    $("chat").hidden = false;
    $("drop").hidden = false;
    $("me").textContent = `you are ${nickname}`;
    if (recovered) {
      note("Connection recovered: the messages sent meanwhile arrived, in order.");
    } else if (rooms.joined.size > 0) {
      // A new session (the server restarted, or we were away too long): join our rooms again.
      note("Reconnected with a new session: joining your rooms again.");
      for (const room of rooms.joined) join(room, false);
    } else {
      join("general");
    }
  });
  socket.on("connect_error", (err) => {
    // A middleware refusal ends the attempt (socket.active is false): back to the nickname form.
    if (socket.active) return;
    $("login").hidden = false;
    $("chat").hidden = true;
    loginError.textContent = `The server refused this nickname: ${err.message}`;
    socket.disconnect();
  });

  socket.on("presence", (room, members) => rooms.setMembers(room, members));
  socket.on("typing", (room, who, isTyping) => board.update(room, who, isTyping));
  socket.on("message", (m) => {
    board.update(m.room, m.from, false);
    if (seen.has(m.id)) return;
    seen.add(m.id);
    rooms.add(m.room, messageItem(m, false));
  });
  socket.on("picture", (p) => rooms.add(p.room, pictureItem(p, imageOf(p.data, p.type, p.name))));

  function note(text: string): void {
    for (const room of rooms.joined) rooms.add(room, h("li", { class: "system", text }));
  }

  function join(room: string, showIt = true): void {
    const problem = checkName("room", room);
    if (problem) return say(problem);
    socket.emit("join", room.trim(), (res: Ack<{ room: string; members: string[]; messages: ChatMessage[] }>) => {
      if (!res.ok) return say(res.error);
      const { room, members, messages } = res.value;
      rooms.joined.add(room);
      rooms.setMembers(room, members);
      for (const m of messages) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        // Our own message whose ack is still on its way is already on the page.
        if (m.from === nickname && takePending(room, m.text)) continue;
        rooms.add(room, messageItem(m, m.from === nickname, "delivered"));
      }
      if (showIt || !rooms.current) rooms.show(room);
      say("");
    });
  }

  function leave(room: string): void {
    socket.emit("leave", room, () => {
      rooms.joined.delete(room);
      // Joining again shows the room's history afresh.
      for (const item of rooms.messages.get(room) ?? []) if (item.dataset.id) seen.delete(item.dataset.id);
      rooms.messages.delete(room);
      rooms.show(rooms.current === room ? [...rooms.joined][0] : rooms.current);
    });
  }

  $("new-room").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("room-name");
    join(input.value);
    input.value = "";
  });

  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("text");
    const room = rooms.current;
    if (!room) return say("Join a room first.");
    if (input.value.trim() === "") return say("Type a message first.");
    const draft: ChatMessage = { id: "", room, from: nickname, text: input.value, at: Date.now() };
    const item = messageItem(draft, true, socket.connected ? "sending…" : "queued: offline");
    rooms.add(room, item);
    typing.stop(room);
    input.value = "";
    say("");
    // No timeout: socket.io buffers the emit while offline and sends it on reconnection.
    const key = `${room}\n${draft.text}`;
    pending.set(key, [...(pending.get(key) ?? []), item]);
    socket.emit("message", room, draft.text, (res) => {
      const left = (pending.get(key) ?? []).filter((i) => i !== item);
      if (left.length) pending.set(key, left);
      else pending.delete(key);
      if (res.ok) {
        seen.add(res.value.id);
        item.dataset.id = res.value.id;
      }
      settle(item, res);
    });
  });
  $("text").addEventListener("input", () => rooms.current && typing.typed(rooms.current));

  watchPictures(
    $<HTMLInputElement>("file"),
    (file) => {
      const room = rooms.current;
      if (!room) return say("Join a room first.");
      say("");
      void file.arrayBuffer().then((data) => {
        const item = pictureItem({ id: "", room, from: nickname, name: file.name, type: file.type, data, at: Date.now() }, imageOf(file, file.type, file.name), "sending…");
        rooms.add(room, item);
        socket.emit("picture", room, { name: file.name, type: file.type, data }, (res) => settle(item, res));
      });
    },
    say,
  );

  $("drop").addEventListener("click", () => {
    // Closing the engine.io transport is what a dropped network does: the Manager reconnects
    // and the server hands back the session (connectionStateRecovery).
    socket.io.engine.close();
  });
}

function settle(item: HTMLElement, res: Ack<unknown>): void {
  const status = item.querySelector(".status")!;
  if (res.ok) {
    item.classList.add("delivered");
    status.textContent = "✓ delivered";
  } else {
    item.classList.add("failed");
    status.textContent = `✗ not sent: ${res.error}`;
  }
}

function messageItem(m: ChatMessage, mine: boolean, status?: string): HTMLElement {
  const li = h("li", { class: mine ? "message mine" : "message", "data-from": m.from, "data-id": m.id || undefined },
    h("span", { class: "from", text: m.from }),
    h("span", { class: "text", text: m.text }),
    h("span", { class: "status", text: status ?? time(m.at) }),
  );
  if (status === "delivered") {
    li.classList.add("delivered");
    li.querySelector(".status")!.textContent = "✓ delivered";
  }
  return li;
}

function pictureItem(p: ChatPicture, img: HTMLImageElement, status?: string): HTMLElement {
  const li = h("li", { class: status ? "picture mine" : "picture", "data-from": p.from },
    h("span", { class: "from", text: p.from }),
    h("span", { class: "text", text: p.name }),
    h("span", { class: "status", text: status ?? time(p.at) }),
  );
  li.append(img);
  return li;
}

export type { ChatSocket };
