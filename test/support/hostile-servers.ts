// Servers that misbehave on purpose, for client resilience tests: they answer garbage,
// close mid-handshake, or vanish. Each listens on 127.0.0.1, port 0, and closes fully.
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface HostileServer {
  port: number;
  url: string;
  /** Requests (HTTP and upgrade) seen so far. */
  hits: number;
  close(): Promise<void>;
}

export type Behaviour =
  /** Polling handshake answered with text that is no Engine.IO packet. */
  | "garbage handshake"
  /** Polling handshake answered with a 500 and HTML. */
  | "http 500"
  /** The TCP connection is dropped as soon as the request arrives. */
  | "drop connection"
  /** The open packet is not JSON. */
  | "broken open packet"
  /** The open packet is JSON `null`. */
  | "null open packet"
  /** WebSocket: a valid open packet, then a CONNECT reply that is no Socket.IO packet. */
  | "garbage after open"
  /** WebSocket: a valid open packet, then binary junk. */
  | "binary junk"
  /** WebSocket: a valid open packet, then the socket closes before the CONNECT reply. */
  | "close after open"
  /** WebSocket: a valid open packet, then a CONNECT reply with a payload of the wrong shape. */
  | "bad connect reply";

const OPEN = '0{"sid":"hostile","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

function onSocket(ws: WebSocket, behaviour: Behaviour): void {
  switch (behaviour) {
    case "broken open packet":
      return ws.send("0{not json");
    case "null open packet":
      return ws.send("0null");
    case "garbage after open":
      ws.send(OPEN);
      ws.once("message", () => ws.send("4zzz"));
      return;
    case "binary junk":
      ws.send(OPEN);
      ws.once("message", () => ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef])));
      return;
    case "close after open":
      ws.send(OPEN);
      ws.once("message", () => ws.terminate());
      return;
    case "bad connect reply":
      ws.send(OPEN);
      ws.once("message", () => ws.send('40"not an object"'));
      return;
    default:
      ws.terminate();
  }
}

export async function startHostileServer(behaviour: Behaviour): Promise<HostileServer> {
  const sockets = new Set<NetSocket>();
  const http: HttpServer = createServer((req: IncomingMessage, res) => {
    state.hits++;
    if (behaviour === "garbage handshake") return res.end("hello, I am not engine.io");
    if (behaviour === "http 500") return res.writeHead(500, { "content-type": "text/html" }).end("<h1>oops</h1>");
    if (behaviour === "broken open packet") return res.end("0{not json");
    if (behaviour === "null open packet") return res.end("0null");
    req.socket.destroy();
    return undefined;
  });
  http.on("connection", (s: NetSocket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    if (behaviour === "drop connection") {
      state.hits++;
      s.destroy();
    }
  });
  const wss = new WebSocketServer({ server: http });
  wss.on("connection", (ws: WebSocket) => {
    state.hits++;
    onSocket(ws, behaviour);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const state: HostileServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    hits: 0,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return state;
}
