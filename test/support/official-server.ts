// The servers the client specs run against: the official socket.io server now, and rtio's
// own once src/server exists. Both take socket.io's Server API, so a spec is written once.
import { existsSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as OfficialServer, type ServerOptions } from "socket.io";

export type TestServer = OfficialServer;
type ServerCtor = new (http: HttpServer, opts?: Partial<ServerOptions>) => TestServer;

export interface ServerImpl {
  name: string;
  /** Starts a server on 127.0.0.1; `port` 0 picks a free one. */
  start(opts?: Partial<ServerOptions>, port?: number): Promise<RunningServer>;
}

export interface RunningServer {
  io: TestServer;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Closes the server and every connection, so the client sees `transport close`. */
  close(): Promise<void>;
}

/** A ServerImpl for any socket.io-shaped Server class (rtio's, or any socket.io release). */
export function impl(name: string, Server: ServerCtor): ServerImpl {
  return {
    name,
    async start(opts = {}, port = 0) {
      const http = createServer();
      const io = new Server(http, opts);
      await new Promise<void>((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, "127.0.0.1", () => resolve());
      });
      const actual = (http.address() as AddressInfo).port;
      return {
        io,
        port: actual,
        url: `http://127.0.0.1:${actual}`,
        close: () =>
          new Promise<void>((resolve) => {
            endPendingCloses(io.engine);
            io.close(() => resolve());
            http.closeAllConnections();
          }),
      };
    },
  };
}

export const official: ServerImpl = impl("socket.io 4.8 server", OfficialServer);

const rtioEntry = new URL("../../src/server/index.ts", import.meta.url);

/**
 * socket.io's engine.io (any version), when a server closes a polling connection with no poll
 * pending, waits 30 s for a poll that a disconnected client never sends; the timer holds
 * nothing but the test process open. This ends such closes now.
 */
export function endPendingCloses(engine: unknown): void {
  const clients = (engine as { clients?: Record<string, { readyState: string; transport?: { shouldClose?: () => void } }> } | undefined)?.clients ?? {};
  for (const conn of Object.values(clients)) if (conn.readyState === "closing") conn.transport?.shouldClose?.();
}

/** Every server implementation available: rtio's joins when src/server/index.ts exists. */
export async function serverImpls(): Promise<ServerImpl[]> {
  const list = [official];
  if (process.env.RTIO_CLIENT_SERVERS !== "official" && existsSync(rtioEntry)) {
    try {
      const mod = (await import(rtioEntry.href)) as { Server?: ServerCtor };
      if (mod.Server) list.push(impl("rtio server", mod.Server));
    } catch (err) {
      console.warn("rtio server not loadable, skipping its run:", (err as Error).message);
    }
  }
  return list;
}

/** Resolves with the first emission of `event`. */
export function once<T = unknown>(
  emitter: { once(event: string, fn: (...args: any[]) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (arg: T) => resolve(arg)));
}
