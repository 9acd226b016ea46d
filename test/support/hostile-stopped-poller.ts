// Child process for test/node/hostile-limits.test.ts: a polling client that stops polling
// while broadcasts pile up. Run apart because engine.io then arms a 30 s close timer that
// would hold the test process; this child reports what it saw as one JSON line and exits.
import { setImmediate as tick } from "node:timers/promises";
import { io as officialIo } from "socket.io-client";
import { HostilePolling } from "./hostile-raw.js";
import { startServer } from "./server-harness.js";

const s = await startServer({ name: "socket.io-client", io: officialIo }, { pingInterval: 400, pingTimeout: 400 });
const healthy = s.connect("/", { transports: ["websocket"] });
await new Promise<void>((resolve) => healthy.once("connect", () => resolve()));
const got: number[] = [];
healthy.on("bulk", (n: number) => got.push(n));

const raw = await HostilePolling.connect(s.port);
const text = await raw.join();
const sid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
const socket = s.io.of("/").sockets.get(sid)!;
const reason = new Promise<string>((resolve) => socket.once("disconnect", resolve));
raw.stopPolling();
const payload = "x".repeat(10_000);
for (let i = 0; i < 200; i++) s.io.emit("bulk", i, payload);
const why = await reason;
while (got.length < 200 && healthy.connected) await tick();
const healthyConnected = healthy.connected;
const timersBefore = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
raw.destroy();
await s.close();
// Let sockets finish closing (events, not time; the cap is a safety net).
for (let i = 0; i < 5_000 && process.getActiveResourcesInfo().includes("TCPSocketWrap"); i++) await tick();
const left = process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "TCPSocketWrap" || r === "TCPServerWrap");
console.log(JSON.stringify({ reason: why, healthyGot: got.length, inOrder: got.every((n, i) => n === i), healthyConnected, timersBefore, left }));
process.exit(0);
