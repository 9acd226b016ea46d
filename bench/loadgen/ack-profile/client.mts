// The ack clients of ack-profile.mjs: 50 WebSocket clients, 10 emitWithAck in flight each. argv: <rtio|socket.io>.
const [impl] = process.argv.slice(2);
const { io }: any = impl === "rtio" ? await import(new URL("../../../src/client/index.ts", import.meta.url).href) : await import("socket.io-client");
let sockets: any[] = [];
process.on("message", async (m: any) => {
  if (m.cmd === "connect") {
    sockets = await Promise.all(Array.from({ length: 50 }, () => new Promise<any>((res, rej) => {
      const s = io(`http://127.0.0.1:${m.port}`, { forceNew: true, transports: ["websocket"], reconnection: false });
      s.once("connect", () => res(s)); s.once("connect_error", rej);
    })));
    process.send!({});
  }
  if (m.cmd === "run") {
    const t0 = performance.now(); const c0 = process.cpuUsage();
    await Promise.all(sockets.map(async (s) => {
      let sent = 0; const payload = { text: "ping", n: 0 };
      await Promise.all(Array.from({ length: 10 }, async () => { while (sent < m.per) { sent++; await s.emitWithAck("echo", payload); } }));
    }));
    const d = process.cpuUsage(c0);
    process.send!({ ms: performance.now() - t0, cpu: (d.user + d.system) / 1000 });
  }
  if (m.cmd === "exit") { for (const s of sockets) s.disconnect(); setTimeout(() => process.exit(0), 100); }
});
process.send!({});
