// Several workers on one port (node:cluster) with HTTP long-polling: @socket.io/sticky sends
// every request of a session to the worker holding it, and @socket.io/cluster-adapter lets the
// workers broadcast to each other's clients. rtio's server works in that setup unchanged.
import assert from "node:assert/strict";
import { fork, type ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { closeClients, connectClient, withSafetyNet, type ClientSocket } from "../support/cluster-harness.js";

interface Me {
  pid: number;
  transport: string;
}

const PRIMARY = new URL("../support/cluster-sticky-primary.ts", import.meta.url).pathname;

describe("node:cluster workers behind @socket.io/sticky, cluster adapter", { timeout: 120_000 }, () => {
  let primary: ChildProcess;
  let url = "";
  let workers: number[] = [];
  const sockets: ClientSocket[] = [];

  before(async () => {
    primary = fork(PRIMARY, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, STICKY_WORKERS: "2" } });
    const ready = await withSafetyNet<{ port: number; workers: number[] }>("sticky primary ready", 120_000, (resolve) => {
      const on = (msg: { type?: string; port: number; workers: number[] }) => msg?.type === "ready" && resolve(msg);
      primary.on("message", on);
      return () => primary.off("message", on);
    });
    url = `http://127.0.0.1:${ready.port}`;
    workers = ready.workers;
  });

  after(async () => {
    closeClients(sockets);
    if (primary && primary.exitCode === null) {
      const exited = new Promise((resolve) => primary.once("exit", resolve));
      primary.send({ type: "shutdown" });
      await exited;
    }
  });

  it("polling clients of both kinds keep their sessions, spread over the workers, and get every broadcast", async () => {
    const clients: ClientSocket[] = [];
    for (const kind of ["rtio", "official", "rtio", "official"] as const) {
      // @socket.io/sticky learns a session's worker over IPC from that worker; under load the
      // client's first POST can reach the primary before it has and be sent elsewhere. The
      // client then retries its connect; what is tested is the session once it exists.
      clients.push(await connectClient(url, { kind, transports: ["polling"], reconnection: true }, sockets));
    }
    // Many polling requests per session (each on a new connection: sticky turns keep-alive off).
    const seen = new Map<ClientSocket, number>();
    for (let round = 0; round < 5; round++) {
      for (const c of clients) {
        const { pid, transport } = (await c.timeout(10_000).emitWithAck("whoami")) as Me;
        assert.equal(transport, "polling");
        if (seen.has(c)) assert.equal(pid, seen.get(c), "a session stays on its worker");
        seen.set(c, pid);
      }
    }
    assert.deepEqual(new Set(seen.values()), new Set(workers), "round-robin spread the sessions over both workers");

    const got = clients.map((c) =>
      withSafetyNet(`broadcast to ${c.id}`, 20_000, (resolve) => {
        const on = (...args: unknown[]) => resolve(args);
        c.once("m", on);
        return () => c.off("m", on);
      }),
    );
    clients[0]!.emit("shout", "hello");
    for (const args of await Promise.all(got)) assert.deepEqual(args, ["hello", seen.get(clients[0]!)]);
  });

  it("a client that starts with polling upgrades to WebSocket on its own worker", async () => {
    const c = await connectClient(url, { kind: "rtio", transports: ["polling", "websocket"] }, sockets);
    const { pid: before } = (await c.timeout(10_000).emitWithAck("whoami")) as Me;
    if (c.io.engine.transport.name !== "websocket") {
      await withSafetyNet("upgrade", 20_000, (resolve) => {
        const on = () => resolve(undefined);
        c.io.engine.once("upgrade", on);
        return () => c.io.engine.off("upgrade", on);
      });
    }
    const { pid: afterUpgrade, transport } = (await c.timeout(10_000).emitWithAck("whoami")) as Me;
    assert.equal(transport, "websocket");
    assert.equal(afterUpgrade, before);
  });
});
