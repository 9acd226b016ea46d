// What the page knows of rooms: who is in each (presence, from the server), which ones this
// user joined, which one is shown, and each room's messages as list items.
import { DEFAULT_ROOMS } from "../protocol.js";
import { $, h } from "./dom.js";

export interface RoomActions {
  join(room: string): void;
  leave(room: string): void;
  show(room: string): void;
}

export class Rooms {
  readonly members = new Map<string, string[]>(DEFAULT_ROOMS.map((r) => [r, []]));
  readonly joined = new Set<string>();
  readonly messages = new Map<string, HTMLElement[]>();
  readonly unread = new Map<string, number>();
  current: string | undefined;

  constructor(private readonly actions: RoomActions) {}

  setMembers(room: string, members: string[]): void {
    if (members.length === 0 && !DEFAULT_ROOMS.includes(room as (typeof DEFAULT_ROOMS)[number]) && !this.joined.has(room)) {
      this.members.delete(room);
    } else {
      this.members.set(room, members);
    }
    this.render();
  }

  add(room: string, item: HTMLElement): void {
    const list = this.messages.get(room) ?? [];
    list.push(item);
    this.messages.set(room, list);
    if (room === this.current) {
      const ol = $("messages");
      ol.append(item);
      ol.scrollTop = ol.scrollHeight;
    } else {
      this.unread.set(room, (this.unread.get(room) ?? 0) + 1);
      this.render();
    }
  }

  show(room: string | undefined): void {
    this.current = room;
    if (room) this.unread.delete(room);
    $("room-title").textContent = room ? `# ${room}` : "Join a room";
    $("messages").replaceChildren(...(room ? this.messages.get(room) ?? [] : []));
    for (const id of ["text", "file"]) ($(id) as HTMLInputElement).disabled = !room;
    ($("composer").querySelector("button") as HTMLButtonElement).disabled = !room;
    this.render();
  }

  render(): void {
    const rooms = [...this.members.keys()].sort();
    $("rooms").replaceChildren(
      ...rooms.map((room) => {
        const joined = this.joined.has(room);
        const unread = this.unread.get(room);
        const li = h("li", { "data-room": room, class: room === this.current ? "current" : "" },
          h("span", { class: "name", text: `# ${room}` }),
          h("span", { class: "count", text: String(this.members.get(room)?.length ?? 0) }),
        );
        if (unread) li.append(h("span", { class: "unread", text: String(unread) }));
        const button = h("button", { type: "button", class: joined ? "leave" : "join", text: joined ? "Leave" : "Join" });
        button.addEventListener("click", () => (joined ? this.actions.leave(room) : this.actions.join(room)));
        li.querySelector(".name")!.addEventListener("click", () => (joined ? this.actions.show(room) : this.actions.join(room)));
        li.append(button);
        return li;
      }),
    );
    $("members-room").textContent = this.current ? `# ${this.current}` : "…";
    const members = this.current ? this.members.get(this.current) ?? [] : [];
    $("members").replaceChildren(...members.map((m) => h("li", { text: m })));
  }
}
