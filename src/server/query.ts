/**
 * The query of a request URL as engine.io reads it (`Object.fromEntries` of `new URL(url)`'s
 * `searchParams`: the last of repeated names wins, and `__proto__` is a name like any other),
 * for the URLs where that is plain splitting: no `%` or `+` to decode, no `#`, no space or
 * control character. Undefined for any other URL, which engine.io then parses itself.
 * engine.io parses the query of every HTTP request, and a long-polling client makes one per
 * message: the URL parser showed in its profiles.
 */
export function plainQuery(url: string | undefined): Record<string, string> | undefined {
  // A "#" anywhere starts a fragment, which may hide the "?" itself.
  if (url === undefined || url.includes("#")) return undefined;
  const start = url.indexOf("?");
  const query: Record<string, string> = {};
  if (start === -1) return query;
  for (let i = start + 1; i < url.length; i++) {
    const c = url.charCodeAt(i);
    // The URL parser also drops tabs, newlines and trailing spaces: none reach a request line.
    if (c === 37 /* % */ || c === 43 /* + */ || c <= 32) return undefined;
  }
  let at = start + 1;
  while (at <= url.length) {
    let end = url.indexOf("&", at);
    if (end === -1) end = url.length;
    if (end > at) {
      const eq = url.indexOf("=", at);
      if (eq === -1 || eq > end) setParam(query, url.slice(at, end), "");
      else setParam(query, url.slice(at, eq), url.slice(eq + 1, end));
    }
    at = end + 1;
  }
  return query;
}

// As Object.fromEntries defines it: an own "__proto__" key, where `=` would set the prototype.
function setParam(query: Record<string, string>, name: string, value: string): void {
  if (name === "__proto__") Object.defineProperty(query, name, { value, enumerable: true, writable: true, configurable: true });
  else query[name] = value;
}
