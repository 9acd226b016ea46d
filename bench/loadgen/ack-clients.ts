/**
 * The ack-echo load generator: real client-library sockets (rtio's `io` or socket.io-client's),
 * each keeping `inflight` emitWithAck calls outstanding until it has made `perClient` of them.
 * argv: <rtio|socket.io>. Reports its own CPU and the wall time of the run.
 */
import { loadClientModule, parseSocketIoImpl } from "../lib/impl.js";
import { cpuMsSince, ready, serve } from "../lib/rpc.js";

interface ConnectArgs {
  port: number;
  count: number;
  timeoutMs: number;
}

interface RunArgs {
  inflight: number;
  perClient: number;
}

const { io } = await loadClientModule(parseSocketIoImpl(process.argv[2]));
type ClientSocket = ReturnType<typeof io>;
const sockets: ClientSocket[] = [];

function connectOne(port: number, timeoutMs: number): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    // WebSocket only: the steady state of an app, not the upgrade dance (the connect storm has that).
    const socket = io(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"], reconnection: false });
    const timer = setTimeout(() => reject(new Error(`ack client: no connect within ${timeoutMs} ms`)), timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("connect_error", (err: Error) => {
      clearTimeout(timer);
      reject(new Error(`ack client: connect_error: ${err.message}`));
    });
  });
}

async function connect(args: ConnectArgs): Promise<number> {
  const batch = await Promise.all(Array.from({ length: args.count }, () => connectOne(args.port, args.timeoutMs)));
  sockets.push(...batch);
  return sockets.length;
}

/** One client's share: `inflight` lanes, each awaiting its ack before sending the next. */
async function drive(socket: ClientSocket, args: RunArgs): Promise<number> {
  let sent = 0;
  const payload = { text: "ping", n: 0 };
  const lane = async () => {
    while (sent < args.perClient) {
      sent++;
      // No per-call timeout: its timer would be measured as client cost. The driver's deadline on
      // `run` bounds the whole loop instead.
      const reply = (await socket.emitWithAck("echo", payload)) as typeof payload;
      if (reply.text !== payload.text) throw new Error(`ack client: echo came back as ${JSON.stringify(reply)}`);
    }
  };
  await Promise.all(Array.from({ length: args.inflight }, lane));
  return sent;
}

async function run(args: RunArgs): Promise<{ acks: number; cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const counts = await Promise.all(sockets.map((s) => drive(s, args)));
  return { acks: counts.reduce((a, b) => a + b, 0), cpuMs: cpuMsSince(cpu), wallMs: performance.now() - t0 };
}

serve({
  connect: (args: ConnectArgs) => connect(args),
  run: (args: RunArgs) => run(args),
  close: () => {
    for (const s of sockets.splice(0)) s.disconnect();
    return null;
  },
});
ready();
