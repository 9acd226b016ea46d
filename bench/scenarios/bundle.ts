/**
 * Client bundle: gzip size (level 9) of rtio's browser bundles against socket.io-client's. One
 * sample per row: sizes do not vary between runs. Needs `npm run build` to have made dist/.
 */
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
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

const METRICS: Metric[] = [
  { key: "classic", label: "gzip size, classic min.js", unit: "bytes", better: "lower", target: 0.85 },
  { key: "esm", label: "gzip size, ESM min.js", unit: "bytes", better: "lower", target: 0.85 },
];

function gzipSize(relative: string): number {
  const url = new URL(relative, ROOT);
  if (!existsSync(url)) throw new Error(`${relative} is missing${relative.startsWith("dist/") ? ": run `npm run build` first" : ""}`);
  return gzipSync(readFileSync(url), { level: 9 }).length;
}

export const bundle: Scenario = {
  name: "bundle",
  description: "gzip size of the browser bundles",
  run() {
    const rows = Object.entries(FILES).map(([name, files]) => ({
      name,
      samples: { classic: [gzipSize(files.classic)], esm: [gzipSize(files.esm)] },
    }));
    return Promise.resolve({
      scenario: "bundle",
      description: "gzip -9 of dist/rtio.min.js, dist/rtio.esm.min.js vs socket.io-client 4.8's dist",
      metrics: METRICS,
      rows,
      baseline: "socket.io",
      subject: "rtio",
      notes: [],
    });
  },
};
