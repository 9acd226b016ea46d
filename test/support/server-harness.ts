// Shared set-up for the server's Node tests: a server on port 0, and the clients to run the
// same specs with (the official socket.io-client, and rtio's own client once it exists).
import { existsSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { attach as attachEngine } from "engine.io";
import { io as officialIo, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from "socket.io-client";
import { Server, type ServerOptions } from "../../src/server/index.js";

export type { ClientSocket };
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;
export type ClientFactory = (uri: string, opts?: ClientOptions) => ClientSocket;

export interface ClientUnderTest {
  name: string;
  io: ClientFactory;
}

/**
 * The clients every spec runs with. rtio's client joins once src/client/index.ts exists;
 * RTIO_TEST_CLIENTS=official (or =rtio) narrows the list.
 */
export async function clientsUnderTest(): Promise<ClientUnderTest[]> {
  const clients: ClientUnderTest[] = [{ name: "socket.io-client", io: officialIo }];
  const ours = new URL("../../src/client/index.ts", import.meta.url);
  if (existsSync(ours)) {
    try {
      const mod = (await import(ours.href)) as { io?: ClientFactory };
      if (typeof mod.io === "function") clients.push({ name: "rtio client", io: mod.io });
    } catch {
      // Not ready yet: the specs run with the official client only.
    }
  }
  const only = process.env.RTIO_TEST_CLIENTS;
  return only ? clients.filter((c) => c.name.startsWith(only === "official" ? "socket.io" : only)) : clients;
}

export interface TestServer {
  io: Server;
  http: HttpServer;
  port: number;
  url(nsp?: string): string;
  /** Clients opened through `connect`, closed by `close`. */
  clients: ClientSocket[];
  connect(nsp?: string, opts?: ClientOptions): ClientSocket;
  close(): Promise<void>;
}

/** Starts a Server on a fresh http server on 127.0.0.1, port 0. */
export async function startServer(client: ClientUnderTest, opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const http = createServer();
  return serving(client, http, new Server(http, opts));
}

/** As startServer, but with a plain engine.io server that the test attaches and passes to `io.bind()`. */
export async function startBoundServer(client: ClientUnderTest): Promise<TestServer> {
  const http = createServer();
  const io = new Server({ serveClient: false });
  io.bind(attachEngine(http, { path: "/socket.io/" }));
  return serving(client, http, io);
}

async function serving(client: ClientUnderTest, http: HttpServer, io: Server): Promise<TestServer> {
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const clients: ClientSocket[] = [];
  const url = (nsp = "/") => `http://127.0.0.1:${port}${nsp}`;
  return {
    io,
    http,
    port,
    url,
    clients,
    connect(nsp = "/", copts = {}) {
      const socket = client.io(url(nsp), { forceNew: true, reconnection: false, ...copts });
      clients.push(socket);
      return socket;
    },
    async close() {
      for (const c of clients) c.io.engine?.close();
      for (const c of clients) c.disconnect();
      await io.close();
      // io.close() closes an http server it attached to; one bound by hand is the test's.
      if (http.listening) await new Promise((resolve) => http.close(resolve));
    },
  };
}

interface Listenable {
  once(event: string, listener: (...args: any[]) => void): unknown;
}

/** Resolves with the arguments of the next `event`. */
export function once<T extends unknown[] = any[]>(emitter: Listenable, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T)));
}

/** Resolves with the first argument of each of the next `count` `event`s. */
export function collect<T = unknown>(emitter: { on(event: string, l: (...a: any[]) => void): unknown }, event: string, count: number): Promise<T[]> {
  return new Promise((resolve) => {
    const got: T[] = [];
    emitter.on(event, (value: T) => {
      got.push(value);
      if (got.length === count) resolve(got);
    });
  });
}

/** Resolves once the client's engine runs on WebSocket: at once if it already does, else at its upgrade. */
export async function upgraded(socket: { io: { engine: Listenable & { transport: { name: string } } } }): Promise<void> {
  const engine = socket.io.engine;
  if (engine.transport.name !== "websocket") await once(engine, "upgrade");
}

/** Connects and resolves once the client is connected. */
export async function connected(socket: ClientSocket): Promise<ClientSocket> {
  if (!socket.connected) await once(socket, "connect");
  return socket;
}
