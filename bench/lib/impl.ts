/**
 * Which implementation a child runs, and loading it. rtio is loaded from src/ by a computed
 * specifier so that the bench type-checks before src/server and src/client exist; a missing rtio
 * is an error, never a silent substitution. The one escape hatch, for developing the harness,
 * is `--impl-rtio=socket.io` (env BENCH_RTIO_AS), and every result then says so.
 */
import type * as SioServer from "socket.io";
import type * as SioClient from "socket.io-client";

export type ServerImpl = "rtio" | "socket.io" | "engine.io";
export type SocketIoImpl = Exclude<ServerImpl, "engine.io">;

/** rtio's server has socket.io's API, so socket.io's types describe both. */
export type ServerModule = Pick<typeof SioServer, "Server">;
export type ClientModule = Pick<typeof SioClient, "io">;

export const RTIO_SUBSTITUTE_ENV = "BENCH_RTIO_AS";

export function rtioSubstitute(): string | undefined {
  return process.env[RTIO_SUBSTITUTE_ENV] || undefined;
}

export function parseImpl(value: string | undefined): ServerImpl {
  if (value === "rtio" || value === "socket.io" || value === "engine.io") return value;
  throw new Error(`unknown implementation '${value}' (expected rtio, socket.io or engine.io)`);
}

export function parseSocketIoImpl(value: string | undefined): SocketIoImpl {
  const impl = parseImpl(value);
  if (impl === "engine.io") throw new Error("engine.io has no socket.io API; this child needs rtio or socket.io");
  return impl;
}

async function importRtio<T>(relative: string, what: string): Promise<T> {
  const spec = new URL(`../../src/${relative}`, import.meta.url).href;
  try {
    return (await import(spec)) as T;
  } catch (err) {
    throw new Error(`cannot load rtio's ${what} from src/${relative}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Where the module a child runs came from, reported back in its ready message so the driver can
 * check that an "rtio" row really ran rtio.
 */
export function sourceOf(impl: ServerImpl): string {
  if (impl === "rtio" && rtioSubstitute() !== "socket.io") return "rtio src/";
  return impl === "rtio" ? "socket.io (substituted for rtio)" : impl;
}

export async function loadServerModule(impl: SocketIoImpl): Promise<ServerModule> {
  if (impl === "rtio" && rtioSubstitute() !== "socket.io") {
    const mod = await importRtio<Partial<ServerModule>>("server/index.ts", "server");
    if (typeof mod.Server !== "function") throw new Error("src/server/index.ts does not export a Server class");
    return mod as ServerModule;
  }
  return import("socket.io");
}

export async function loadClientModule(impl: SocketIoImpl): Promise<ClientModule> {
  if (impl === "rtio" && rtioSubstitute() !== "socket.io") {
    const mod = await importRtio<Partial<ClientModule>>("client/index.ts", "client");
    if (typeof mod.io !== "function") throw new Error("src/client/index.ts does not export io");
    return mod as ClientModule;
  }
  return import("socket.io-client");
}
