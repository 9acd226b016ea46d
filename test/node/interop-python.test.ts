// A client that shares no code with socket.io: python-socketio (Debian's python3-socketio,
// installed by scripts/setup.sh), against the rtio server and, as the reference, socket.io
// 4.8's. Namespaces, auth, acks both ways and binary both ways, over each transport.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { Server as OfficialServer } from "socket.io";
import { Server as RtioServer } from "../../src/server/index.js";

const run = promisify(execFile);
const PYTHON = process.env.RTIO_PYTHON ?? "/usr/bin/python3";
const SCRIPT = new URL("../support/python-client.py", import.meta.url).pathname;

/** Fails the suite with the set-up command when python-socketio is missing. */
async function needPythonSocketio(): Promise<void> {
  try {
    await run(PYTHON, ["-c", "import socketio, websocket, requests"]);
  } catch {
    throw new Error(`${PYTHON} cannot import socketio, websocket and requests: run 'sh scripts/setup.sh' as root (npm test does), which installs python3-socketio python3-websocket python3-requests`);
  }
}

type AnyServer = InstanceType<typeof OfficialServer>;

for (const [name, Server] of [
  ["rtio", RtioServer],
  ["socket.io 4.8", OfficialServer],
] as Array<[string, new (http: ReturnType<typeof createServer>) => AnyServer]>) {
  describe(`python-socketio client against the ${name} server`, () => {
    let http: ReturnType<typeof createServer>;
    let server: AnyServer;
    let url: string;
    const ids = new Map<string, string[]>();

    before(async () => {
      await needPythonSocketio();
      http = createServer();
      server = new Server(http);
      for (const nsp of ["/", "/chat"]) {
        server.of(nsp).on("connection", (socket) => {
          ids.set(nsp, [...(ids.get(nsp) ?? []), socket.id]);
          socket.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
          // Calls back into the client with binary; answers with what the client's ack held.
          socket.on("askme", (reply: (answer: unknown[]) => void) =>
            socket.emit("ask", 1, Buffer.from([4, 5]), (...answer: unknown[]) => reply(answer.map((a) => (Buffer.isBuffer(a) ? `${a.length} bytes` : a)))),
          );
          socket.emit("hello", socket.handshake.auth, socket.nsp.name);
        });
      }
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        http.closeAllConnections();
      });
    });

    for (const transport of ["polling", "websocket"]) {
      it(`joins two namespaces with auth, and acks binary both ways over ${transport}`, async () => {
        const { stdout } = await run(PYTHON, [SCRIPT, url, transport], { timeout: 60_000 });
        const seen = JSON.parse(stdout);
        assert.deepEqual(seen["hello /"], [{ token: "py" }, "/"]);
        assert.deepEqual(seen["hello /chat"], [{ token: "py" }, "/chat"]);
        assert.equal(seen.sid, ids.get("/")!.at(-1), "the client knows the id the server gave it");
        assert.equal(seen.transport, transport);
        assert.deepEqual(seen.echo, ["a", { file: "hex:010203" }, 7]);
        assert.deepEqual(seen.askme, [2, "2 bytes"]);
      });
    }
  });
}
