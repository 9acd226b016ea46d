// Per-test server and client bookkeeping: everything started through a Fixture is closed by
// `fixture.end()`, so each test file exits by itself.
import type { ServerOptions } from "socket.io";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "../../src/client/index.js";
import type { RunningServer, ServerImpl } from "./official-server.js";

export class Fixture {
  server!: RunningServer;
  private readonly clients: Socket[] = [];
  private readonly servers: RunningServer[] = [];

  constructor(readonly impl: ServerImpl) {}

  async start(opts?: Partial<ServerOptions>, port?: number): Promise<RunningServer> {
    this.server = await this.impl.start(opts, port);
    this.servers.push(this.server);
    return this.server;
  }

  /** A client on a fresh Manager (`forceNew`), namespace `nsp`. */
  client(nsp = "/", opts: Partial<ManagerOptions & SocketOptions> = {}): Socket {
    const socket = io(this.server.url + nsp, { forceNew: true, ...opts });
    this.clients.push(socket);
    return socket;
  }

  track(socket: Socket): Socket {
    this.clients.push(socket);
    return socket;
  }

  async end(): Promise<void> {
    for (const c of this.clients) {
      c.disconnect();
      c.io._close();
    }
    for (const s of this.servers) await s.close();
  }
}

/** Resolves with the arguments of the first `event`, rejecting on the safety-net timeout. */
export function next<T extends unknown[] = any[]>(
  emitter: { once(event: string, fn: (...args: any[]) => void): unknown },
  event: string,
  ms = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    emitter.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}
