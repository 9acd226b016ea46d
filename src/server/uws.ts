import type { IncomingMessage, ServerResponse } from "node:http";
import { bundleAnswer, bundleFor, type Middleware } from "./serve-client.js";

/* The parts of uWebSockets.js's API that rtio uses, typed structurally: uWebSockets.js is the
 * app's dependency, never rtio's, and its own types accept these. */

/** A uWebSockets.js `HttpRequest`: valid only until its handler returns. */
export interface UwsRequest {
  getUrl(): string;
  getMethod(): string;
  getHeader(lowerCaseName: string): string;
  setYield(value: boolean): unknown;
}

/** A uWebSockets.js `HttpResponse`. */
export interface UwsResponse {
  writeStatus(status: string): unknown;
  writeHeader(name: string, value: string): unknown;
  end(body?: string | ArrayBuffer | Uint8Array): unknown;
  cork(fn: () => void): unknown;
  onAborted(fn: () => void): unknown;
}

/** A uWebSockets.js `App` or `SSLApp` (a `TemplatedApp`). */
export interface UwsApp {
  get(pattern: string, handler: (res: UwsResponse, req: UwsRequest) => void): unknown;
  any(pattern: string, handler: (res: any, req: any) => void): unknown;
  ws(pattern: string, behavior: any): unknown;
}

/** engine.io's options for the WebSocket behaviour it registers on the app. */
export interface UwsOptions {
  /** uWebSockets.js's `CompressOptions` for the WebSocket route. @default 0 (none) */
  compression?: number;
  /** Seconds of silence after which uWebSockets.js closes a WebSocket. @default 120 */
  idleTimeout?: number;
  /** Bytes a WebSocket may buffer before uWebSockets.js drops what is sent to it. @default 65536 */
  maxBackpressure?: number;
}

/**
 * Serves the client bundles (`<path>/socket.io.js` and friends, as `attachServe` does on Node's
 * http) on a uWebSockets.js app. Requests for anything else under the path are yielded to the
 * app's next route. `path()` gives the current path, or undefined when serving is off.
 */
export function serveBundlesOnApp(app: UwsApp, path: () => string | undefined, cors?: Middleware): void {
  const pattern = `${path()}/*`;
  app.get(pattern, (res, req) => {
    const current = path();
    const bundle = current === undefined ? undefined : bundleFor(current, req.getUrl());
    if (bundle === undefined) {
      req.setYield(true);
      return;
    }
    // The request dies when this handler returns: read what is needed now.
    const ifNoneMatch = req.getHeader("if-none-match") || undefined;
    const acceptEncoding = req.getHeader("accept-encoding") || undefined;
    const origin = req.getHeader("origin") || undefined;
    let aborted = false;
    res.onAborted(() => (aborted = true));
    void bundleAnswer(bundle, ifNoneMatch, acceptEncoding).then((answer) =>
      withCors(cors, origin, answer.headers, (headers) => {
        if (aborted) return;
        res.cork(() => {
          res.writeStatus(STATUS_LINES[answer.status]);
          // uWebSockets.js writes the length of the body it ends with itself.
          for (const [name, value] of Object.entries(headers)) if (name !== "Content-Length") res.writeHeader(name, value);
          // uWebSockets.js takes no `undefined` body.
          if (answer.body === undefined) res.end();
          else res.end(answer.body);
        });
      }),
    );
  });
}

const STATUS_LINES = { 200: "200 OK", 304: "304 Not Modified", 404: "404 Not Found" } as const;

/**
 * Runs the `cors` middleware (the `cors` package, made for Node's http) for a GET over a
 * stand-in request and response, and calls back with `headers` plus the ones it set.
 */
function withCors(cors: Middleware | undefined, origin: string | undefined, headers: Record<string, string>, then: (headers: Record<string, string>) => void): void {
  if (!cors) return then(headers);
  const all: Record<string, string> = { ...headers };
  const names = new Map<string, string>();
  const req = { method: "GET", headers: origin === undefined ? {} : { origin } } as unknown as IncomingMessage;
  const res = {
    statusCode: 200,
    getHeader: (name: string) => all[names.get(name.toLowerCase()) ?? name],
    setHeader: (name: string, value: string | number | string[]) => {
      names.set(name.toLowerCase(), name);
      all[name] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    end: () => then(all),
  } as unknown as ServerResponse;
  cors(req, res, () => then(all));
}
