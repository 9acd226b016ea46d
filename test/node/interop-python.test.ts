// Socket.IO written apart from socket.io's JavaScript: python-socketio (Debian's python3-socketio,
// installed by scripts/setup.sh). Its client against the rtio server and, as the reference,
// socket.io 4.8's; and rtio's client against its server (what Flask-SocketIO apps run on),
// beside socket.io-client 4.8. Namespaces, auth, acks and binary both ways, each transport.
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { io as officialClient } from "socket.io-client";
import { io as rtioClient } from "../../src/client/index.js";
import { next } from "../support/client-fixtures.js";
import { serverImpls, type RunningServer } from "../support/official-server.js";

const run = promisify(execFile);
const PYTHON = process.env.RTIO_PYTHON ?? "/usr/bin/python3";
const support = (file: string): string => new URL(`../support/${file}`, import.meta.url).pathname;

/** Fails the suite with the set-up command when python-socketio is missing. */
async function needPythonSocketio(): Promise<void> {
  try {
    await run(PYTHON, ["-c", "import socketio, websocket, requests, aiohttp"]);
  } catch {
    throw new Error(`${PYTHON} cannot import socketio, websocket, requests and aiohttp: run 'sh scripts/setup.sh' as root (npm test does), which installs them from Debian`);
  }
}

for (const serverImpl of await serverImpls()) {
  describe(`python-socketio client against the ${serverImpl.name}`, { timeout: 120_000 }, () => {
    let server: RunningServer;
    let url: string;
    const ids = new Map<string, string[]>();

    before(async () => {
      await needPythonSocketio();
      server = await serverImpl.start();
      url = server.url;
      for (const nsp of ["/", "/chat"]) {
        server.io.of(nsp).on("connection", (socket) => {
          ids.set(nsp, [...(ids.get(nsp) ?? []), socket.id]);
          socket.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
          // Calls back into the client with binary; answers with what the client's ack held.
          socket.on("askme", (reply: (answer: unknown[]) => void) =>
            socket.emit("ask", 1, Buffer.from([4, 5]), (...answer: unknown[]) => reply(answer.map((a) => (Buffer.isBuffer(a) ? `${a.length} bytes` : a)))),
          );
          socket.emit("hello", socket.handshake.auth, socket.nsp.name);
        });
      }
    });
    after(() => server.close());

    for (const transport of ["polling", "websocket"]) {
      it(`joins two namespaces with auth, and acks binary both ways over ${transport}`, async () => {
        const { stdout } = await run(PYTHON, [support("python-client.py"), url, transport], { timeout: 60_000 });
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

describe("rtio's client against a python-socketio server, beside socket.io-client 4.8", { timeout: 120_000 }, () => {
  let python: ChildProcess;
  let url: string;

  before(async () => {
    await needPythonSocketio();
    python = spawn(PYTHON, [support("python-server.py")], { stdio: ["pipe", "pipe", "inherit"] });
    const [port] = await next<[Buffer]>(python.stdout!, "data", 30_000);
    url = `http://127.0.0.1:${String(port).trim()}`;
  });
  after(async () => {
    const exited = next(python, "exit");
    python.stdin!.end();
    await exited;
  });

  type Client = typeof rtioClient;
  /** One client's round: what it saw, for both clients to be held to the same. */
  async function round(io: Client, transports: string[]): Promise<Record<string, unknown>> {
    const socket = io(url, { transports, auth: { token: "js" }, forceNew: true, reconnection: false });
    try {
      const [hello] = await next(socket, "hello");
      const echo = await new Promise<unknown[]>((resolve) => socket.emit("echo", "a", { file: Buffer.from([1, 2, 3]) }, 7, (...args: unknown[]) => resolve(args)));
      socket.on("ask", (n: number, bytes: unknown, ack: (...a: unknown[]) => void) => ack(n + 1, bytes));
      const askme = await new Promise<unknown[]>((resolve) => socket.emit("askme", (...args: unknown[]) => resolve(args)));
      // The server pings every 250 ms; two answered pings keep the connection up past them.
      let pings = 0;
      await new Promise<void>((resolve) =>
        socket.io.on("ping", () => {
          if (++pings === 2) resolve();
        }),
      );
      if (transports.length === 2 && socket.io.engine.transport.name !== "websocket") await next(socket.io.engine, "upgrade");
      const transport = socket.io.engine.transport.name;
      const [reason] = await Promise.all([next(socket, "disconnect").then(([r]) => r), socket.emit("kick")]);
      return { hello, echo, askme, transport, reason };
    } finally {
      socket.close();
    }
  }

  for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
    it(`connects with auth, acks binary both ways, keeps heartbeats and is kicked over ${transports.join(" then ")}`, async () => {
      const ours = await round(rtioClient, transports);
      assert.deepEqual(ours, {
        hello: [{ token: "js" }, "/"],
        echo: ["a", { file: Buffer.from([1, 2, 3]) }, 7],
        askme: [[2, 2]],
        transport: transports.at(-1),
        reason: "io server disconnect",
      });
      assert.deepEqual(ours, await round(officialClient as unknown as Client, transports));
    });
  }

  it("gets a refused connect as connect_error, as socket.io-client does", async () => {
    const refusal = async (io: Client): Promise<unknown> => {
      const socket = io(url + "/guarded", { forceNew: true, reconnection: false });
      try {
        const [err] = await next<[Error & { data?: unknown }]>(socket, "connect_error");
        assert.ok(err instanceof Error);
        return { message: err.message, data: err.data };
      } finally {
        socket.close();
      }
    };
    const ours = await refusal(rtioClient);
    assert.match((ours as { message: string }).message, /not allowed/);
    assert.deepEqual(ours, await refusal(officialClient as unknown as Client));
  });
});
