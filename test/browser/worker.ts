// The client inside a Web Worker (bundled by karma.conf.js into the run's temp dir). The
// page posts { bundle, bundleUrl, url, transports }; a classic worker loads the classic
// bundle with importScripts, a module worker imports the ES module. It connects, round-trips
// text and binary, and posts what happened.
import type { io as ioFn } from "../../src/client/index.js";

type Io = typeof ioFn;
interface Job {
  bundle: "classic" | "esm" | "app" | "reference";
  bundleUrl: string;
  url: string;
  transports: ("polling" | "websocket")[];
}
interface WorkerScope {
  io?: Io;
  importScripts(url: string): void;
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent<Job>) => void) | null;
}
const scope = self as unknown as WorkerScope;

async function load(job: Job): Promise<Io> {
  if (job.bundle === "classic") {
    scope.importScripts(job.bundleUrl);
    if (typeof scope.io !== "function") throw new Error("the classic bundle defined no io in the worker");
    return scope.io;
  }
  const specifier: string = job.bundleUrl;
  return ((await import(specifier)) as { io: Io }).io;
}

async function run(job: Job): Promise<unknown> {
  const io = await load(job);
  const socket = io(job.url, { forceNew: true, reconnection: false, transports: job.transports });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    const text = await socket.emitWithAck("echo", "from a worker");
    const binary = (await socket.emitWithAck("echo", new Uint8Array([1, 2, 3]))) as ArrayBuffer;
    const me = (await socket.emitWithAck("whoami")) as { transport: string };
    return { text, binary: [...new Uint8Array(binary)], transport: me.transport, isArrayBuffer: binary instanceof ArrayBuffer };
  } finally {
    socket.disconnect();
  }
}

scope.onmessage = (event) => {
  run(event.data).then(
    (result) => scope.postMessage({ result }),
    (err: unknown) => scope.postMessage({ error: String((err as Error)?.message ?? err) }),
  );
};
