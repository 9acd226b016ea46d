import { parse } from "engine.io-client";

/** A parsed `io()` URL: where the engine connects, and which namespace the path names. */
export interface ParsedUrl {
  /** The full URL given to the Manager. */
  source: string;
  protocol: string;
  host: string;
  port: string;
  /** The URL's path: the namespace. */
  path: string;
  query: string;
  queryKey: Record<string, string>;
  /** Cache key of the Manager: origin plus engine path. */
  id: string;
}

interface PageLocation {
  protocol: string;
  host: string;
  port: string;
}

/**
 * Completes a partial URL against the page's location (or `https://` without one) and parses it.
 * `//host` keeps the page's scheme, `/nsp` the page's host, and `host:port` gains a scheme.
 * @param enginePath the `path` option, part of the cache key
 */
export function url(uri: string | undefined, enginePath: string, loc = (globalThis as { location?: PageLocation }).location): ParsedUrl {
  const scheme = loc ? loc.protocol : "https:";
  // No URL is the page's origin: `//` and its host, completed below.
  let str = uri ?? "//" + (loc?.host ?? "");
  if (str[0] === "/") str = (str[1] === "/" ? scheme : loc?.host ?? "") + str;
  if (!/^(https?|wss?):\/\//.test(str)) str = scheme + "//" + str;

  const parsed = parse(str) as ParsedUrl;
  const host = parsed.host.includes(":") ? "[" + parsed.host + "]" : parsed.host;
  parsed.path ||= "/";
  parsed.id = parsed.protocol + "://" + host + ":" + (parsed.port ||= /^(http|ws)s$/.test(parsed.protocol) ? "443" : "80") + enginePath;
  return parsed;
}
