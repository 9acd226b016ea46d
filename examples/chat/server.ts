// `npm start`: the chat demo on PORT (default 3000; 0 picks a free port).
import { createChatApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const app = await createChatApp();
try {
  const url = await app.listen(port, process.env.HOST);
  console.log(`rtio chat demo: open ${url} in two browser windows`);
  console.log(`admin dashboard: ${url}/admin  (server URL ${url}, username "${app.admin.username}", password "${app.admin.password}")`);
  console.log("stop with Ctrl-C; start again to watch the pages reconnect");
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  console.error(code === "EADDRINUSE" ? `port ${port} is in use: try PORT=3001 npm start` : err);
  process.exit(1);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    // Long-polling requests may hold the HTTP server open: do not wait on them forever.
    setTimeout(() => process.exit(0), 1000).unref();
    void app.close().then(() => process.exit(0));
  });
}
