// The browser bundles' twin of digits.ts: a browser reads the ack ids of one connection, where
// a server reads them all, so the shorter Number() of the substring does. The same numbers
// wherever the decoder uses them: up to 15 digits stay below 2^53, so both readings are exact,
// and no digits read as 0 in both.
export function readDigits(str: string, i: number, end: number): number {
  return +str.slice(i, end);
}
