// Entry of the browser specs (bundled by karma.conf.js): every spec file runs against each
// server flavour (rtio's server, the official socket.io 4.8 server) with each bundle (the
// classic script's global `io`, the ES module's `io`, and the `io` of an app's own bundle).
import { binarySpecs } from "./binary.spec.js";
import { connectSpecs } from "./connect.spec.js";
import { corsSpecs } from "./cors.spec.js";
import { emitSpecs } from "./emit.spec.js";
import { msgpackSpecs } from "./msgpack.spec.js";
import { proxySpecs } from "./proxy.spec.js";
import { reconnectSpecs } from "./reconnect.spec.js";
import { retrySpecs } from "./retries.spec.js";
import { roomSpecs } from "./rooms.spec.js";
import { afterEach, before, Ctx, describe, flavourUrls, loadIo, runConfig, type Bundle, type SpecFile } from "./support.js";
import { unloadSpecs } from "./unload.spec.js";
import { workerSpecs } from "./worker.spec.js";

const FLAVOURS = ["rtio server", "socket.io 4.8 server"];
const BUNDLES: Bundle[] = runConfig.reference ? ["reference"] : ["classic", "esm", "app"];

for (const flavour of FLAVOURS) {
  for (const bundle of BUNDLES) {
    describe(`${flavour} · ${bundle} bundle`, () => {
      const ctx = new Ctx();
      before(async () => {
        const urls = await flavourUrls(flavour);
        ctx.io = await loadIo(bundle);
        ctx.url = urls.url;
        ctx.altUrl = urls.altUrl;
        ctx.strictUrl = urls.strictUrl;
        ctx.recoveryUrl = urls.recoveryUrl;
        ctx.msgpackUrl = urls.msgpackUrl;
        ctx.proxyUrl = urls.proxyUrl ?? "";
        ctx.strippingProxyUrl = urls.strippingProxyUrl ?? "";
        ctx.proxyError = urls.proxyError ?? "";
      });
      afterEach(() => ctx.closeAll());
      const files: SpecFile[] = [
        connectSpecs,
        emitSpecs,
        binarySpecs,
        roomSpecs,
        reconnectSpecs,
        retrySpecs,
        corsSpecs,
        proxySpecs,
        workerSpecs(bundle),
        unloadSpecs(bundle),
      ];
      // The msgpack bundle is a classic script of its own: once per server, with the classic run.
      if (bundle === "classic") files.push(msgpackSpecs);
      for (const file of files) file(ctx);
    });
  }
}
