/**
 * One load-generator connection: a raw WebSocket speaking just enough Engine.IO v4 / Socket.IO
 * v5 to stay connected (answer the open packet with `40`, each ping `2` with a pong `3`). Events
 * are counted by their first two characters, never parsed, so the client side stays cheap and
 * the server's cost is what the bench measures.
 */
import WebSocket from "ws";
import type { Tally } from "./tally.js";

/** Opens one connection; resolves once the server has acknowledged the namespace connect. */
export function connectRaw(port: number, tally: Tally, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`raw client: no socket.io connect within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        tally.binary++;
        return;
      }
      const text = data.toString();
      const c0 = text.charCodeAt(0);
      const c1 = text.charCodeAt(1);
      if (c0 === 0x34 /* 4 message */ && (c1 === 0x32 /* 2 EVENT */ || c1 === 0x35) /* 5 BINARY_EVENT */) {
        tally.onText(text);
      } else if (c0 === 0x32 /* 2 ping */) {
        ws.send("3");
      } else if (c0 === 0x30 /* 0 open */) {
        ws.send("40");
      } else if (c0 === 0x34 && c1 === 0x30 /* 40 connect ack */) {
        clearTimeout(timer);
        resolve(ws);
      }
    });
  });
}
