// What every browser spec shares: mocha's globals (typed here, not declared globally, so
// node:test files keep their own), the server URLs of the run, the client under test (the
// classic bundle's global `io` or the ESM bundle's), small assertions, and event waits.
import type { io as ioFn, ManagerOptions, SocketOptions, Manager, Socket } from "../../../src/client/index.js";

export type Io = typeof ioFn;
export type ClientSocket = Socket;
export type ClientManager = Manager;
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

type Fn = (this: { timeout(ms: number): void }) => void | Promise<unknown>;
interface Mocha {
  describe(title: string, fn: () => void): void;
  it(title: string, fn: Fn): void;
  before(fn: Fn): void;
  after(fn: Fn): void;
  afterEach(fn: Fn): void;
}
export const { describe, it, before, after, afterEach } = globalThis as unknown as Mocha;

// The servers' side writes these; a type-only import, erased from the browser bundle.
import type { FlavourUrls } from "../../support/browser-servers.js";
export type { FlavourUrls };

export type Urls = Required<Pick<FlavourUrls, "name" | "url" | "altUrl" | "strictUrl" | "recoveryUrl" | "msgpackUrl">> &
  Pick<FlavourUrls, "proxyUrl" | "strippingProxyUrl" | "proxyError">;

let config: Promise<{ flavours: FlavourUrls[]; error?: string }> | undefined;

/** The URLs of one server flavour; fails (never skips) when that server did not start. */
export async function flavourUrls(name: string): Promise<Urls> {
  config ??= fetch("/rtio-config.json").then((r) => r.json());
  const { flavours, error } = await config;
  const found = flavours.find((f) => f.name === name);
  if (!found) throw new Error(`no server "${name}" in this run${error ? `: ${error}` : ""}`);
  const { url, altUrl, strictUrl, recoveryUrl, msgpackUrl } = found;
  if (found.error || !url || !altUrl || !strictUrl || !recoveryUrl || !msgpackUrl) throw new Error(found.error ?? "no URL");
  return { ...found, name, url, altUrl, strictUrl, recoveryUrl, msgpackUrl };
}

/**
 * The client under test: rtio's classic or ESM bundle, an app's own bundle of the `rtio`
 * package (built by karma.conf.js as an app's bundler would), or (with RTIO_KARMA_REFERENCE=1,
 * to tell a spec's mistake from a client bug) the official socket.io-client's ESM bundle.
 */
export type Bundle = "classic" | "esm" | "app" | "reference";
interface RunConfig {
  workerUrl: string;
  classicUrl: string;
  esmUrl: string;
  msgpackUrl: string;
  appUrl: string;
  referenceUrl: string;
  reference: boolean;
}
/** What karma.conf.js hands the page through karma's client config. */
export const runConfig = (globalThis as unknown as { __karma__: { config: { rtio: RunConfig } } }).__karma__.config.rtio;

/** The URL of a bundle the browser can load as a classic script (classic) or a module. */
export const bundleUrl = (bundle: Bundle): string =>
  location.origin + { classic: runConfig.classicUrl, esm: runConfig.esmUrl, app: runConfig.appUrl, reference: runConfig.referenceUrl }[bundle];

/** The `io` of a bundle: the classic script's global, or the ES module's named export. */
export async function loadIo(bundle: Bundle): Promise<Io> {
  if (bundle === "classic") {
    const global = (globalThis as unknown as { io?: Io }).io;
    if (typeof global !== "function") throw new Error(`${runConfig.classicUrl} did not define the global io`);
    return global;
  }
  // A variable specifier keeps the bundler from inlining the module: the browser loads it.
  const specifier: string = bundleUrl(bundle);
  const mod = (await import(specifier)) as { io?: Io; default?: Io };
  if (typeof mod.io !== "function") throw new Error(`${specifier} lacks io`);
  if (bundle !== "reference" && mod.default !== mod.io) throw new Error(`${specifier}: default export is not io`);
  return mod.io;
}

/**
 * One spec's view of the run: the client, the server URLs, and the sockets it opened,
 * all closed after each spec so no connection leaks into the next.
 */
export class Ctx {
  io!: Io;
  url = "";
  altUrl = "";
  strictUrl = "";
  recoveryUrl = "";
  msgpackUrl = "";
  /** nginx passing upgrades, and nginx stripping them, both in front of `url`'s server. */
  proxyUrl = "";
  strippingProxyUrl = "";
  proxyError = "";
  private opened: ClientSocket[] = [];
  private managers: ClientManager[] = [];

  /** A new socket on a Manager of its own; reconnection off unless asked for. */
  open(nsp = "/", opts: ClientOptions = {}, base = this.url): ClientSocket {
    const socket = this.io(base + nsp, { forceNew: true, reconnection: false, ...opts });
    this.opened.push(socket);
    return socket;
  }

  manager(opts: ClientOptions = {}, base = this.url): ClientManager {
    const Manager = (this.io as unknown as { Manager: new (uri: string, o: ClientOptions) => ClientManager }).Manager;
    const manager = new Manager(base, { reconnection: false, ...opts });
    this.managers.push(manager);
    return manager;
  }

  track(socket: ClientSocket): ClientSocket {
    this.opened.push(socket);
    return socket;
  }

  closeAll(): void {
    // A socket of a removed iframe may throw on its dead window: it is gone either way.
    for (const socket of this.opened.splice(0)) attempt(() => socket.disconnect());
    for (const manager of this.managers.splice(0)) attempt(() => manager.engine?.close());
  }
}

function attempt(fn: () => void): void {
  try {
    fn();
  } catch {
    // see closeAll
  }
}

/** Declares the specs of one file against every context they run in. */
export type SpecFile = (ctx: Ctx) => void;

interface Listenable {
  once(event: string, fn: (...args: any[]) => void): unknown;
}

/** Resolves with the arguments of the next `event`. */
export function next<T extends unknown[] = unknown[]>(emitter: Listenable, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T)));
}

/** Resolves with the first argument of the next `count` `event`s. */
export function collect<T = unknown>(
  emitter: { on(event: string, fn: (...args: any[]) => void): unknown },
  event: string,
  count: number,
): Promise<T[]> {
  return new Promise((resolve) => {
    const got: T[] = [];
    emitter.on(event, (value: T) => {
      got.push(value);
      if (got.length === count) resolve(got);
    });
  });
}

/** Resolves once connected; rejects with the `connect_error`. */
export function connected(socket: ClientSocket): Promise<ClientSocket> {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err: Error) => reject(err));
  });
}

/** Emits with an ack and resolves with the ack's arguments. */
export function call<T = unknown>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve) => (socket.emit as (...a: unknown[]) => unknown)(event, ...args, (value: T) => resolve(value)));
}

export interface WhoAmI {
  id: string;
  engineId: string;
  transport: string;
  origin: string | null;
  cookie: string | null;
  recovered: boolean;
}

export const whoami = (socket: ClientSocket): Promise<WhoAmI> => call<WhoAmI>(socket, "whoami");

// ── assertions ───────────────────────────────────────────────────────────────────────────
export function ok(value: unknown, message = "expected a truthy value"): asserts value {
  if (!value) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, message = ""): void {
  if (!Object.is(actual, expected)) {
    throw new Error(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Deep equality through a canonical JSON form; bytes compare as their values. */
export function same(actual: unknown, expected: unknown, message = ""): void {
  const a = show(actual);
  const e = show(expected);
  if (a !== e) throw new Error(`${message ? message + ": " : ""}expected ${e}, got ${a}`);
}

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof ArrayBuffer) return { ArrayBuffer: [...new Uint8Array(v)] };
    if (ArrayBuffer.isView(v)) return { [v.constructor.name]: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] };
    if (v === undefined) return "<undefined>";
    return v;
  });
}

/** The bytes of an ArrayBuffer, which may come from another realm (an iframe's client). */
export const bytes = (value: unknown): number[] => {
  const tag = Object.prototype.toString.call(value);
  ok(tag === "[object ArrayBuffer]", `expected an ArrayBuffer, got ${tag}`);
  return [...new Uint8Array(value as ArrayBuffer)];
};

/**
 * An iframe with a bundle loaded in it, for what the test page cannot host: a second classic
 * bundle (it would replace the global io), or `beforeunload`, which karma's page treats as a
 * failed test. Classic bundles load by script tag, ES modules by import.
 */
export async function frameWithIo(src: string, module: boolean): Promise<{ win: Window & { io: Io }; remove(): void }> {
  const frame = document.createElement("iframe");
  frame.srcdoc = module
    ? `<script type="module">import { io } from "${src}"; window.io = io;</script>`
    : `<script src="${src}"></script>`;
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
  document.body.appendChild(frame);
  await loaded;
  const win = frame.contentWindow as Window & { io: Io };
  if (typeof win.io !== "function") throw new Error(`${src} defined no io in the frame`);
  return { win, remove: () => frame.remove() };
}

let counter = 0;
/** A name unique to this page, for rooms and server-side keys. */
export const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${++counter}`;
