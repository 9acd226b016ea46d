// The echo server of ack-profile.mjs (see there): plain process messages instead of the bench RPC,
// so that it can run under valgrind. argv: <rtio|socket.io>.
import { createServer } from "node:http";
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
const impl = process.argv[2];
const mod: any = impl === "rtio" ? await import(new URL("../../../src/server/index.ts", import.meta.url).href) : await import("socket.io");
const http = createServer();
const io = new mod.Server(http);
io.on("connection", (socket: any) => {
  socket.on("echo", (data: unknown, ack: (d: unknown) => void) => ack(data));
});
const session = new Session();
session.connect();
let cpu = process.cpuUsage();
process.on("message", (m: any) => {
  if (m.cmd === "cpu") { const d = process.cpuUsage(cpu); cpu = process.cpuUsage(); process.send!({ cpu: (d.user + d.system) / 1000 }); }
  if (m.cmd === "profStart") session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 50 }, () => session.post("Profiler.start", () => { cpu = process.cpuUsage(); process.send!({}); })));
  if (m.cmd === "profStop") session.post("Profiler.stop", (err, res: any) => { writeFileSync(m.file, JSON.stringify(res.profile)); process.send!({}); });
  if (m.cmd === "exit") process.exit(0);
});
http.listen(0, "127.0.0.1", () => process.send!({ port: (http.address() as any).port }));
