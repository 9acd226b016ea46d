// The companion servers of the karma run, in a child process that karma's plugin forks
// (test/browser/karma-plugin.js): per flavour (rtio's Server, the official socket.io 4.8
// Server) one server with the specs' handlers and a second one whose CORS policy refuses
// the karma page. Ports are picked by the OS; the URLs go to the parent over IPC.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as OfficialServer } from "socket.io";
import * as msgpackParser from "socket.io-msgpack-parser";
import { allowRequest, installHandlers, type AnyServer } from "./browser-handlers.js";
import { startNginx } from "./nginx.js";

export interface FlavourUrls {
  name: string;
  /** `http://127.0.0.1:<port>`: same site as the karma page, another origin. */
  url?: string;
  /** The same server as `http://localhost:<port>`: another site. */
  altUrl?: string;
  /** A server whose CORS policy allows only an origin the page does not have. */
  strictUrl?: string;
  /**
   * A server with connectionStateRecovery. Kept apart because recovery appends an offset
   * argument to every event the client receives, which the other specs would see.
   */
  recoveryUrl?: string;
  /** A server speaking MessagePack (socket.io-msgpack-parser), for the msgpack bundle. */
  msgpackUrl?: string;
  /** nginx in front of the main server, passing WebSocket upgrades. */
  proxyUrl?: string;
  /** nginx in front of the main server, stripping WebSocket upgrades. */
  strippingProxyUrl?: string;
  /** Why the proxies could not start: the proxy specs fail with it. */
  proxyError?: string;
  /** Why this flavour could not start: the specs fail with it rather than skip. */
  error?: string;
}

type ServerCtor = new (http: ReturnType<typeof createServer>, opts: object) => AnyServer;

async function listen(Ctor: ServerCtor, opts: object): Promise<{ io: AnyServer; port: number; close(): Promise<void> }> {
  const http = createServer();
  const io = new Ctor(http, opts);
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", resolve);
  });
  return {
    io,
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

const closers: Array<() => Promise<void>> = [];

async function start(name: string, load: () => Promise<ServerCtor>): Promise<FlavourUrls> {
  try {
    const Ctor = await load();
    const main = await listen(Ctor, {
      cors: { origin: true, credentials: true },
      cookie: { name: "io", path: "/", httpOnly: true, sameSite: "lax" },
      allowRequest,
    });
    const strict = await listen(Ctor, { cors: { origin: "http://example.invalid" } });
    const recovery = await listen(Ctor, {
      cors: { origin: true },
      connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: true },
    });
    const msgpack = await listen(Ctor, { cors: { origin: true }, parser: msgpackParser });
    for (const server of [main, strict, recovery, msgpack]) {
      installHandlers(server.io);
      closers.push(server.close);
    }
    const proxies: Pick<FlavourUrls, "proxyUrl" | "strippingProxyUrl" | "proxyError"> = {};
    try {
      const passing = await startNginx({ upstreamPort: main.port, websocket: true });
      closers.push(passing.stop);
      const stripping = await startNginx({ upstreamPort: main.port, websocket: false });
      closers.push(stripping.stop);
      proxies.proxyUrl = passing.url;
      proxies.strippingProxyUrl = stripping.url;
    } catch (err) {
      proxies.proxyError = (err as Error).message;
    }
    return {
      name,
      ...proxies,
      url: `http://127.0.0.1:${main.port}`,
      altUrl: `http://localhost:${main.port}`,
      strictUrl: `http://127.0.0.1:${strict.port}`,
      recoveryUrl: `http://127.0.0.1:${recovery.port}`,
      msgpackUrl: `http://127.0.0.1:${msgpack.port}`,
    };
  } catch (err) {
    return { name, error: `${name} did not start: ${(err as Error).stack ?? String(err)}` };
  }
}

async function closeAll(): Promise<void> {
  await Promise.all(closers.map((close) => close()));
  process.disconnect?.();
}

const flavours = [
  await start("rtio server", async () => (await import("../../src/server/index.js")).Server as unknown as ServerCtor),
  await start("socket.io 4.8 server", async () => OfficialServer as unknown as ServerCtor),
];
process.on("message", (msg) => {
  if (msg === "close") void closeAll();
});
// The parent died without asking: close anyway so this process never outlives the run.
process.on("disconnect", () => void Promise.all(closers.map((close) => close())));
process.send?.({ flavours });
