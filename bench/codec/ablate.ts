/**
 * Where the codec's time goes beyond JSON: `npx tsx bench/codec/ablate.ts [rounds]`.
 * Copies src/parser with one part of its work cut out (each copy breaks the codec on purpose),
 * then times every copy against socket.io-parser on the codec scenario's small event and ack,
 * each copy in a process of its own with socket.io-parser, slices of 10 ms back to back, the
 * median of the per-pair ratios.
 * What a part costs is how far the ratio drops without it. Two more rows time the least codec
 * of least-codec.ts, without and with rtio's binary walk: the bound below any codec that does
 * socket.io-parser's duties. A tool for reading profiles, not part of `npm run bench`.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as sioParser from "socket.io-parser";
import { CASES } from "./cases.js";
import { leastParser } from "./least-codec.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Inside the repository (and ignored by git), so that the copies resolve the same node_modules
// and tsx compiles them as it does src/ (under node_modules/ it would not use tsconfig.json).
const WORK = ROOT + "bench/codec/.ablate/";

interface Cut {
  file: string;
  from: string;
  to: string;
}

const WALK: Cut = { file: "encoder.ts", from: 'if (!isPlainData(data)) data = deconstruct(data, out, 1, "") ?? data;', to: "" };
const CHECK: Cut = { file: "decoder.ts", from: "if (!rule.payload(data)) throw", to: "if (false) throw" };
const DISPATCH: Cut = {
  file: "decoder.ts",
  from: "if (packet.attachments === undefined) emitDecoded(this, packet);",
  to: "if (packet.attachments === undefined) (this as unknown as { last: Packet }).last = packet;",
};

const VARIANTS: Record<string, Cut[]> = {
  "rtio as it is": [],
  "without the binary walk": [WALK],
  "without the payload check": [CHECK],
  "without the decoded dispatch": [DISPATCH],
  "without all three": [WALK, CHECK, DISPATCH],
};

function variantDir(name: string, cuts: Cut[]): string {
  const dir = WORK + name.replace(/\W+/g, "-") + "/";
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(ROOT + "src/parser", dir, { recursive: true });
  for (const cut of cuts) {
    const path = dir + cut.file;
    const source = readFileSync(path, "utf8");
    if (!source.includes(cut.from)) throw new Error(`${cut.file} no longer contains ${JSON.stringify(cut.from)}: update the ablation`);
    writeFileSync(path, source.replace(cut.from, cut.to));
  }
  return dir;
}

type Parser = { Encoder: new () => { encode(p: unknown): unknown[] }; Decoder: new () => { add(c: unknown): void; on(e: string, f: () => void): unknown } };

function roundTrip(parser: Parser): (packet: unknown) => void {
  const encoder = new parser.Encoder();
  const decoder = new parser.Decoder();
  decoder.on("decoded", () => {});
  return (packet) => {
    for (const part of encoder.encode(packet)) decoder.add(part);
  };
}

/** CPU ns per round trip over a slice of `ms`. */
function slice(trip: (p: unknown) => void, packet: unknown, ms: number): number {
  let n = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // Bounded by the clock and by a count.
  while (performance.now() - t0 < ms && n < 1_000_000) {
    for (let i = 0; i < 100; i++) trip(packet);
    n += 100;
  }
  const cpu = process.cpuUsage(cpu0);
  return ((cpu.user + cpu.system) * 1e3) / n;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const LEAST: Record<string, boolean> = {
  "the least codec": false,
  "the least codec + the walk": true,
};

/** Times one codec (in this process) and prints its line: a copy's directory, or a LEAST name. */
async function measure(name: string, dir: string, rounds: number): Promise<void> {
  const parser = (name in LEAST ? leastParser(LEAST[name]!) : await import(dir + "index.ts")) as Parser;
  const cells: string[] = [];
  for (const c of CASES.filter((c) => c.key === "event" || c.key === "ack")) {
    const packet = c.packet();
    const ours = roundTrip(parser);
    const ref = roundTrip(sioParser as unknown as Parser);
    slice(ours, packet, 300); // warm-up
    slice(ref, packet, 300);
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Each goes first every other round.
      let mine: number, theirs: number;
      if (r % 2 === 0) {
        mine = slice(ours, packet, 10);
        theirs = slice(ref, packet, 10);
      } else {
        theirs = slice(ref, packet, 10);
        mine = slice(ours, packet, 10);
      }
      ratios.push(mine / theirs);
    }
    cells.push(`${c.key} ${median(ratios).toFixed(3)}`);
  }
  console.log(name.padEnd(30), cells.join("   "));
}

const [first, second, third] = process.argv.slice(2);
if (first === "--measure") {
  await measure(second!, third!, Number(process.argv[5]));
} else {
  const rounds = Number(first ?? 60);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) throw new Error(`rounds must be an integer from 1 to 1000, got ${first}`);
  try {
    const runs: Array<[string, string]> = [
      ...Object.entries(VARIANTS).map(([name, cuts]): [string, string] => [name, variantDir(name, cuts)]),
      ...Object.keys(LEAST).map((name): [string, string] => [name, "-"]),
    ];
    for (const [name, dir] of runs) {
      const args = [...process.execArgv, fileURLToPath(import.meta.url), "--measure", name, dir, String(rounds)];
      execFileSync(process.execPath, args, { stdio: "inherit", timeout: 120_000 });
    }
  } finally {
    rmSync(WORK, { recursive: true, force: true });
  }
}
