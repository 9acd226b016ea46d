/** The IPC messages between the bench driver and its child processes (servers, load generators). */

export interface CallMessage {
  kind: "call";
  id: number;
  cmd: string;
  arg: unknown;
}

export type ChildMessage =
  | { kind: "ready"; info: unknown }
  | { kind: "reply"; id: number; ok: true; value: unknown }
  | { kind: "reply"; id: number; ok: false; error: string }
  | { kind: "fatal"; error: string };

export function isCallMessage(m: unknown): m is CallMessage {
  return typeof m === "object" && m !== null && (m as { kind?: unknown }).kind === "call";
}

export function isChildMessage(m: unknown): m is ChildMessage {
  const kind = typeof m === "object" && m !== null ? (m as { kind?: unknown }).kind : undefined;
  return kind === "ready" || kind === "reply" || kind === "fatal";
}

export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
