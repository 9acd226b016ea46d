// How the decoder reads the digits of a header (attachment count, ack id) as a number, made
// fast for servers, which read the id of every ack of every client. The browser bundles take
// digits.browser.ts: the same numbers in fewer bytes.

/**
 * The number that `str` spells from `i` to `end`, which the caller has checked are all digits
 * (0 when there are none). Read arithmetically: no substring and no Number().
 */
export function readDigits(str: string, i: number, end: number): number {
  let n = 0;
  for (; i < end; i++) n = n * 10 + (str.charCodeAt(i) - 48);
  return n;
}
