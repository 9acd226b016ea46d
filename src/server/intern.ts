/**
 * One shared copy of the strings that thousands of connections repeat: header names and
 * common header values, the handshake URL, the HTTP version. Node's HTTP parser makes fresh
 * strings for every request, so without this each idle socket keeps its own copy of
 * "Sec-WebSocket-Extensions", its User-Agent and so on (~0.5 KB with a bare WebSocket client,
 * more with a browser's headers). Equal strings cannot be told apart in JS: sharing one
 * changes nothing but memory.
 *
 * Bounded: strings longer than `MAX_LENGTH` are left alone, and the table starts over once it
 * holds `MAX_ENTRIES` (a client sending ever new values can only churn it, not grow it).
 */
const MAX_ENTRIES = 1024;
const MAX_LENGTH = 256;

const table = new Map<string, string>();

export function intern(s: string): string {
  if (s.length > MAX_LENGTH) return s;
  const known = table.get(s);
  if (known !== undefined) return known;
  if (table.size >= MAX_ENTRIES) table.clear();
  table.set(s, s);
  return s;
}

/** @internal For tests: how many strings the table holds. */
export function internedCount(): number {
  return table.size;
}
