// Deterministic measures of the server's ack path (the ack-echo scenario, where wall clocks are too
// noisy on a shared machine). Runs from the repository root:
//   node bench/loadgen/ack-profile/driver.mjs <callgrind|strace|cpu> <server impl> <client impl> <warm-up per client,...> <measured per client>
// callgrind: instructions per ack on each server thread over the measured phase (valgrind);
// strace: system calls per ack; cpu: server and client CPU per ack, and a V8 CPU profile of the
// measured phase written to a temporary directory.
// e.g. node bench/loadgen/ack-profile/driver.mjs callgrind rtio socket.io 50,50,50,200,200 100
import { execFileSync, fork, spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const [mode, simpl, cimpl, warm, meas] = process.argv.slice(2);
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const tsx = ["--import", "tsx"];
const next = (c) => new Promise((r) => c.once("message", r));
const dir = mkdtempSync(`${tmpdir()}/ack-profile-`);
const acks = Number(meas) * 50;

const srv =
  mode === "callgrind"
    ? spawn("valgrind", ["--tool=callgrind", "--separate-threads=yes", `--callgrind-out-file=${dir}/cg.%p`, process.execPath, ...tsx, here("server.mts"), simpl], { stdio: ["ignore", "ignore", "ignore", "ipc"] })
    : fork(here("server.mts"), [simpl], { execArgv: tsx });
const { port } = await next(srv);
const cli = fork(here("client.mts"), [cimpl], { execArgv: tsx });
await next(cli);
cli.send({ cmd: "connect", port });
await next(cli);
for (const per of warm.split(",")) {
  cli.send({ cmd: "run", per: Number(per) });
  await next(cli);
}

let strace;
let straceOut = "";
if (mode === "callgrind") execFileSync("callgrind_control", ["-z", String(srv.pid)]);
if (mode === "strace") {
  strace = spawn("strace", ["-c", "-f", "-p", String(srv.pid)], { stdio: ["ignore", "ignore", "pipe"] });
  strace.stderr.on("data", (d) => (straceOut += d));
  await new Promise((r) => setTimeout(r, 1000));
}
if (mode === "cpu") {
  srv.send({ cmd: "profStart" });
  await next(srv);
}
srv.send({ cmd: "cpu" });
await next(srv);
cli.send({ cmd: "run", per: Number(meas) });
const run = await next(cli);
srv.send({ cmd: "cpu" });
const { cpu } = await next(srv);

if (mode === "callgrind") {
  execFileSync("callgrind_control", ["-d", "measured", String(srv.pid)]);
  const parts = [];
  for (const f of readdirSync(dir).filter((f) => /\.1-\d+$/.test(f)).sort()) {
    const out = execFileSync("callgrind_annotate", [`${dir}/${f}`], { encoding: "utf8" });
    const n = Number((out.match(/([\d,]+) \(100.0%\)\s+PROGRAM TOTALS/)?.[1] ?? "0").replace(/,/g, ""));
    if (n > 1e6) parts.push(`thread ${f.replace(/.*-/, "")}: ${(n / acks / 1000).toFixed(1)}k`);
  }
  console.log(`${simpl} server, ${cimpl} clients: instructions per ack: ${parts.join(", ")} (thread 01 is the main thread)`);
} else if (mode === "strace") {
  strace.kill("SIGINT");
  await new Promise((r) => strace.once("exit", r));
  const calls = [];
  for (const line of straceOut.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 5 && /^\d/.test(f[3]) && f.at(-1) !== "total") calls.push([f.at(-1), Number(f[3]) / acks]);
  }
  calls.sort((a, b) => b[1] - a[1]);
  console.log(`${simpl} server, ${cimpl} clients: system calls per ack: ${calls.slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", ")}`);
} else {
  const file = `${dir}/ack-${simpl}-${cimpl}.cpuprofile`;
  srv.send({ cmd: "profStop", file });
  await next(srv);
  console.log(`${simpl} server, ${cimpl} clients: server ${((cpu * 1000) / acks).toFixed(2)} µs/ack, clients ${((run.cpu * 1000) / acks).toFixed(2)} µs/ack, ${Math.round((acks / run.ms) * 1000)} acks/s; profile in ${file}`);
}
cli.send({ cmd: "exit" });
srv.send({ cmd: "exit" });
