// The browser bundles' twin of plain-data.ts: the encoder always takes `deconstruct`'s walk,
// which leaves plain data untouched too. plain-data.ts saves 1-2% of an encode's instructions,
// which counts on a server; in a browser bundle its ~70 bytes gzip count for more.
export function isPlainData(_value: unknown): boolean {
  return false;
}
