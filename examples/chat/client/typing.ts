// "ada is typing…": sent when the user types (at most every second), cleared after a pause;
// shown for a few seconds after the last notice, since notices are volatile and may be lost.
import type { ChatSocket } from "./io.js";

const SEND_EVERY = 1000;
const STOP_AFTER = 1500;
const SHOW_FOR = 3000;

export class TypingSender {
  private lastSent = 0;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly socket: ChatSocket) {}

  typed(room: string): void {
    const now = Date.now();
    if (now - this.lastSent > SEND_EVERY) {
      this.lastSent = now;
      this.socket.emit("typing", room, true);
    }
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => this.stop(room), STOP_AFTER);
  }

  stop(room: string): void {
    clearTimeout(this.stopTimer);
    if (this.lastSent === 0) return;
    this.lastSent = 0;
    this.socket.emit("typing", room, false);
  }
}

export class TypingBoard {
  private readonly who = new Map<string, { room: string; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly render: (room: string, names: string[]) => void) {}

  update(room: string, nickname: string, typing: boolean): void {
    const key = `${room}\n${nickname}`;
    clearTimeout(this.who.get(key)?.timer);
    this.who.delete(key);
    if (typing) this.who.set(key, { room, timer: setTimeout(() => this.update(room, nickname, false), SHOW_FOR) });
    this.render(room, this.names(room));
  }

  names(room: string): string[] {
    return [...this.who.entries()].filter(([, v]) => v.room === room).map(([k]) => k.split("\n")[1]!);
  }
}
