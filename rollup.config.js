// Browser bundles of the client (npm run build, after tsc): classic scripts defining the
// global `io`, an ES module, and a classic bundle whose default codec is MessagePack.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import esbuild from "rollup-plugin-esbuild";

const { version } = (await import("./package.json", { with: { type: "json" } })).default;
const banner = `/*! rtio v${version} | MIT License */`;

// Logging is for Node: in the browser `debug` becomes a function returning a no-op, and
// esbuild's `pure` lets the minifier drop every `debug(...)` call site.
const noDebug = {
  name: "no-debug",
  resolveId: (id) => (id === "debug" ? "\0no-debug" : null),
  load: (id) => (id === "\0no-debug" ? "export default function () { return function () {}; }" : null),
};

// The msgpack bundle swaps the client's default codec for src/msgpack.
const msgpackDefault = {
  name: "msgpack-default",
  resolveId: (id, importer) =>
    id === "./default-parser.js" && importer?.includes("/src/client/")
      ? fileURLToPath(new URL("./src/client/default-parser.msgpack.ts", import.meta.url))
      : null,
};

// A client or codec module with a browser twin (src/client/X.browser.ts beside X.ts, or
// src/parser/...) is swapped for it.
const browserTwins = {
  name: "browser-twins",
  resolveId(id, importer) {
    if (!/\/src\/(client|parser)\//.test(importer ?? "") || importer.endsWith(".browser.ts") || !/^\.\/[\w-]+\.js$/.test(id)) return null;
    const twin = fileURLToPath(new URL(id.replace(/\.js$/, ".browser.ts"), "file://" + importer));
    return existsSync(twin) ? twin : null;
  },
};

// The `browser` maps of engine.io-client (globals.node.js -> globals.js, ...) and of
// engine.io-parser (encodePacket.js -> encodePacket.browser.js, without Buffer) are not
// applied by node-resolve to packages with an `exports` map, so apply them here. Without the
// parser's, binary over long-polling throws "Buffer is not defined" in browsers.
const engineBrowserFiles = {
  name: "engine-browser-files",
  resolveId(id, importer) {
    if (importer?.includes("/engine.io-client/build/esm/") && id.endsWith(".node.js")) {
      return fileURLToPath(new URL(id.replace(/\.node\.js$/, ".js"), "file://" + importer));
    }
    if (importer?.includes("/engine.io-parser/build/esm/") && /^\.\/(encode|decode)Packet\.js$/.test(id)) {
      return fileURLToPath(new URL(id.replace(/\.js$/, ".browser.js"), "file://" + importer));
    }
    return null;
  },
};

const plugins = (...extra) => [
  noDebug,
  browserTwins,
  engineBrowserFiles,
  ...extra,
  nodeResolve({ browser: true, extensions: [".ts", ".mjs", ".js", ".json"] }),
  // backo2 is CommonJS: hoisted (no lazy require wrapper) and its `module.exports` taken as the
  // default export (no __esModule probe).
  commonjs({ strictRequires: false, defaultIsModuleExports: true }),
  // ES2022 keeps `?.`, `??` and `#private` members (which terser mangles); plain-assignment
  // class fields keep the constructors short.
  esbuild({
    target: "es2022",
    pure: ["debug"],
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false, verbatimModuleSyntax: true } },
  }),
];

const minify = terser({
  format: { comments: /^!/ },
  compress: { passes: 2, pure_getters: true },
  mangle: { properties: { regex: /^_/, reserved: ["_placeholder"] } },
});

const classic = (file, min) => ({
  file,
  format: "umd",
  name: "io",
  exports: "default",
  sourcemap: true,
  banner,
  plugins: min ? [minify] : [],
});

export default [
  {
    input: "src/client/browser.ts",
    plugins: plugins(),
    output: [classic("dist/rtio.js", false), classic("dist/rtio.min.js", true)],
  },
  {
    input: "src/client/index.ts",
    plugins: plugins(),
    output: { file: "dist/rtio.esm.min.js", format: "es", sourcemap: true, banner, plugins: [minify] },
  },
  {
    input: "src/client/browser.ts",
    plugins: plugins(msgpackDefault),
    output: classic("dist/rtio.msgpack.min.js", true),
  },
  // For apps that bundle `rtio` themselves (Vite, webpack, esbuild, Rollup: the "browser"
  // condition of package.json's exports), as socket.io-client gives them its build without
  // debug: the client as one ES module, without logging and with the browser twins. Its
  // dependencies are left to the app's bundler, and so is minifying.
  {
    input: "src/client/index.ts",
    external: (id) => /^(engine\.io-client|@socket\.io\/component-emitter|backo2)(\/|$)/.test(id),
    plugins: plugins(),
    output: {
      file: "dist/browser/index.js",
      format: "es",
      sourcemap: true,
      banner,
      // Compressed to drop the calls of the no-op logger, and rtio's own private members
      // (`_name`) renamed as in the other bundles: an app's bundler keeps property names, and
      // these long ones cost ~200 B gzip in every app. Layout, function and class names stay
      // readable, and the source map leads back to the source. Kept: the wire's `_placeholder`,
      // engine.io-client's `_hasPingExpired` (that package is the app's, unrenamed), and the
      // Manager and Socket internals that socket.io-client has by the same names, which apps
      // are known to read (`socket.io._readyState`).
      plugins: [
        terser({
          compress: { passes: 2, pure_getters: true },
          mangle: {
            keep_classnames: true,
            keep_fnames: true,
            properties: { regex: /^_/, reserved: ["_placeholder", "_hasPingExpired", "_readyState", "_reconnecting", "_autoConnect", "_packet", "_destroy", "_close"] },
          },
          format: { beautify: true, comments: /^!/ },
        }),
      ],
    },
  },
];
