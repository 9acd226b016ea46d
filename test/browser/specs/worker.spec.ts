// The client inside a Web Worker: the classic bundle through importScripts in a classic
// worker, the ES module in a module worker.
import { bundleUrl, describe, it, runConfig, same, type Bundle, type SpecFile } from "./support.js";

export const workerSpecs = (bundle: Bundle): SpecFile => (ctx) => {
  describe("in a Web Worker", () => {
    for (const transport of ["polling", "websocket"] as const) {
      it(`connects and round-trips text and binary over ${transport}`, async () => {
        const worker = new Worker(runConfig.workerUrl, bundle === "classic" ? {} : { type: "module" });
        try {
          const reply = await new Promise<{ result?: unknown; error?: string }>((resolve, reject) => {
            worker.onmessage = (e: MessageEvent<{ result?: unknown; error?: string }>) => resolve(e.data);
            worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
            worker.postMessage({
              bundle,
              bundleUrl: bundleUrl(bundle),
              url: ctx.url,
              transports: [transport],
            });
          });
          if (reply.error) throw new Error(`in the worker: ${reply.error}`);
          same(reply.result, { text: "from a worker", binary: [1, 2, 3], transport, isArrayBuffer: true });
        } finally {
          worker.terminate();
        }
      });
    }
  });
};
