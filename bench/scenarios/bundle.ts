/**
 * Client bundle: gzip size (level 9) of rtio's browser bundles against socket.io-client's. One
 * sample per row: sizes do not vary between runs. Needs `npm run build` to have made dist/.
 *
 * Two more measures, built in memory through rtio's own pipeline (rollup.config.js's plugins and
 * terser), so that both sides get the same minifier:
 * - the layer: the client on top of engine.io-client (ESM, engine.io-client and
 *   component-emitter external), rtio's src/client against socket.io-client 4.8's build/esm;
 * - the floor: engine.io-client alone (an entry that constructs a Socket with its default
 *   transports), which every bundle of either library carries.
 * And what an app ships that bundles the package itself: `import { io } from "<package>"`
 * through esbuild (bundled, minified, for browsers), as Vite or webpack would resolve it.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { rollup, type OutputOptions, type Plugin, type RollupOptions } from "rollup";
import { appWith } from "../../test/support/app-fixture.js";
import type { Metric } from "../lib/result.js";
import type { Scenario } from "./scenario.js";

const ROOT = new URL("../../", import.meta.url);

const FILES: Record<string, { classic: string; esm: string }> = {
  rtio: { classic: "dist/rtio.min.js", esm: "dist/rtio.esm.min.js" },
  "socket.io": {
    classic: "node_modules/socket.io-client/dist/socket.io.min.js",
    esm: "node_modules/socket.io-client/dist/socket.io.esm.min.js",
  },
};

const LAYER_ENTRIES: Record<string, string> = {
  rtio: "src/client/index.ts",
  "socket.io": "node_modules/socket.io-client/build/esm/index.js",
};

const FLOOR_ROW = "engine.io-client alone";
const FLOOR_ENTRY = "virtual:engine.io-client-alone";

const METRICS: Metric[] = [
  { key: "classic", label: "gzip size, classic min.js", unit: "bytes", better: "lower", target: 0.85 },
  { key: "esm", label: "gzip size, ESM min.js", unit: "bytes", better: "lower", target: 0.85 },
  { key: "layer", label: "gzip size, the layer on engine.io-client", unit: "bytes", better: "lower", target: 1 },
  { key: "app", label: "gzip size, an app's own bundle of the package (esbuild)", unit: "bytes", better: "lower" },
];

const PACKAGES: Record<string, string> = { rtio: "rtio", "socket.io": "socket.io-client" };

const gzip = (code: string | Uint8Array): number => gzipSync(code, { level: 9 }).length;

function gzipFile(relative: string): number {
  const url = new URL(relative, ROOT);
  if (!existsSync(url)) throw new Error(`${relative} is missing${relative.startsWith("dist/") ? ": run `npm run build` first" : ""}`);
  return gzip(readFileSync(url));
}

type Config = RollupOptions & { output: OutputOptions | OutputOptions[] };

/** rollup.config.js's plugins and its minified classic (UMD) and ESM outputs. */
async function pipeline(): Promise<{ plugins: Plugin[]; classic: OutputOptions; esm: OutputOptions }> {
  const configs = (await import(new URL("rollup.config.js", ROOT).href)).default as Config[];
  const [classicConfig, esmConfig] = configs;
  const classic = [classicConfig!.output].flat().find((o) => Array.isArray(o.plugins) && o.plugins.length > 0);
  const esm = [esmConfig!.output].flat()[0];
  if (!classic || !esm) throw new Error("rollup.config.js: expected a minified classic output first and the ESM output second");
  return { plugins: esmConfig!.plugins as Plugin[], classic, esm };
}

async function buildGzip(input: string, plugins: Plugin[], output: OutputOptions, external?: (id: string) => boolean): Promise<number> {
  const bundle = await rollup({ input, plugins, onwarn: () => {}, ...(external ? { external } : {}) });
  try {
    const { output: chunks } = await bundle.generate({ ...output, file: undefined, sourcemap: false, banner: undefined });
    return gzip(chunks[0].code);
  } finally {
    await bundle.close();
  }
}

/** `import { io } from pkg` in an app of its own, bundled and minified by esbuild for browsers. */
async function appGzip(pkg: string): Promise<number> {
  // rtio is this package; socket.io-client is one of its devDependencies.
  const packageDir = fileURLToPath(pkg === "rtio" ? ROOT : new URL(`node_modules/${pkg}`, ROOT));
  const app = appWith(pkg, packageDir, `import { io } from "${pkg}";\nglobalThis.socket = io("/");\n`);
  try {
    const result = await build({ absWorkingDir: app.dir, entryPoints: [app.entry], bundle: true, minify: true, platform: "browser", format: "esm", target: "es2022", write: false, logLevel: "silent" });
    return gzip(result.outputFiles[0]!.contents);
  } finally {
    app.remove();
  }
}

const engineExternal = (id: string): boolean => id === "engine.io-client" || id.startsWith("@socket.io/component-emitter");

/** An entry that keeps all of engine.io-client's default Socket (and its transports) in the bundle. */
const floorEntry: Plugin = {
  name: "engine.io-client-alone",
  resolveId: (id) => (id === FLOOR_ENTRY ? FLOOR_ENTRY : null),
  load: (id) => (id === FLOOR_ENTRY ? 'import { Socket } from "engine.io-client";\nexport default (uri) => new Socket(uri);\n' : null),
};

export const bundle: Scenario = {
  name: "bundle",
  description: "gzip size of the browser bundles, of the client layer, and of engine.io-client alone",
  async run() {
    const { plugins, classic, esm } = await pipeline();
    const root = fileURLToPath(ROOT);
    const rows = [];
    for (const [name, files] of Object.entries(FILES)) {
      const layer = await buildGzip(root + LAYER_ENTRIES[name], plugins, { ...esm, format: "es" }, engineExternal);
      const app = await appGzip(PACKAGES[name]!);
      rows.push({ name, samples: { classic: [gzipFile(files.classic)], esm: [gzipFile(files.esm)], layer: [layer], app: [app] } });
    }
    const floor = {
      classic: await buildGzip(FLOOR_ENTRY, [floorEntry, ...plugins], { ...classic, exports: "default" }),
      esm: await buildGzip(FLOOR_ENTRY, [floorEntry, ...plugins], esm),
    };
    rows.push({ name: FLOOR_ROW, samples: { classic: [floor.classic], esm: [floor.esm] } });

    const base = rows.find((r) => r.name === "socket.io")!.samples;
    const budget = (key: "classic" | "esm"): string => {
      const target = Math.floor(0.85 * base[key][0]!);
      return `${key} target ${target} B leaves ${target - floor[key]} B for a layer over engine.io-client's ${floor[key]} B`;
    };
    return {
      scenario: "bundle",
      description:
        "gzip -9 of dist/rtio.min.js, dist/rtio.esm.min.js vs socket.io-client 4.8's dist; the layer (client over engine.io-client, ESM) and engine.io-client alone through rtio's rollup pipeline",
      metrics: METRICS,
      rows,
      baseline: "socket.io",
      subject: "rtio",
      notes: [`floor: ${budget("classic")}; ${budget("esm")}`],
    };
  },
};
