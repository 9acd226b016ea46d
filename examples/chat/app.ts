// The demo's HTTP server: the page at /, the dashboard at /admin, Socket.IO at /socket.io
// (which also serves the client bundle, /socket.io/socket.io.min.js, as socket.io does).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "../../src/server/index.js";
import { ADMIN_UI_DIR, setupAdmin, type AdminCredentials } from "./admin.js";
import { compileClient, PUBLIC_DIR, serveStatic } from "./assets.js";
import { setupChat, type ChatServer } from "./chat.js";

export interface ChatApp {
  httpServer: HttpServer;
  io: ChatServer;
  admin: AdminCredentials;
  /** Where the server listens, once `listen` resolved. */
  url: string;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createChatApp(env: NodeJS.ProcessEnv = process.env): Promise<ChatApp> {
  const client = await compileClient();
  const httpServer = createServer((req, res): void => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path === "/app.js" || path === "/app.js.map") {
      res.writeHead(200, { "Content-Type": "application/javascript; charset=utf-8" });
      res.end(path === "/app.js" ? client.js : client.map);
      return;
    }
    if (path === "/admin") {
      res.writeHead(302, { Location: "/admin/" });
      res.end();
      return;
    }
    void (async () => {
      if (await serveStatic(req, res, "/admin/", ADMIN_UI_DIR)) return;
      if (await serveStatic(req, res, "/", PUBLIC_DIR)) return;
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("Not found");
    })();
  });

  const io: ChatServer = new Server(httpServer, {
    // Pictures travel in one packet: allow them, with margin, over the 1 MB default.
    maxHttpBufferSize: 3e6,
    // A page that loses its connection for a moment gets what it missed, in order.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
    // The dashboard is served from this origin, but may also be the hosted one.
    cors: { origin: ["https://admin.socket.io"], credentials: true },
  });
  setupChat(io);
  const admin = setupAdmin(io, env);

  const app: ChatApp = {
    httpServer,
    io,
    admin,
    url: "",
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          app.url = `http://localhost:${address.port}`;
          resolve(app.url);
        });
      }),
    close: () => io.close(),
  };
  return app;
}
