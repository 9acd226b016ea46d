/**
 * A load-generator process holding many raw connections (see raw-client.ts) plus, for the
 * connect storm, bare-TCP ones (net-client.ts), bare ones that start on polling and upgrade
 * (poll-client.ts), and socket.io-client connections that do the same (`connectPolling`, kept
 * to compare the clients' own cost). The same clients drive every server implementation, so
 * only the server differs between rows.
 */
import type WebSocket from "ws";
import { io as sioClient, type Socket as SioSocket } from "socket.io-client";
import { cpuMsSince, ready, serve } from "../lib/rpc.js";
import { connectNet, type NetClient } from "./net-client.js";
import { connectPoll, pollAgent, type PollClient } from "./poll-client.js";
import { connectRaw } from "./raw-client.js";
import { Tally } from "./tally.js";

interface ConnectArgs {
  port: number;
  count: number;
  /** Connections opening at the same time. */
  concurrency: number;
  timeoutMs: number;
}

const tally = new Tally();
const sockets: WebSocket[] = [];
const netClients: NetClient[] = [];
const pollClients: PollClient[] = [];
/** One keep-alive agent for every polling request of this process; 256 connections in flight is far above any scenario's. */
const agent = pollAgent(256);
const pollers: SioSocket[] = [];
/** CPU is counted from the last reset, so a scenario can tell whether this process bounds its rate. */
let cpuSince = process.cpuUsage();

/** Opens `args.count` connections, at most `args.concurrency` at a time, each kept in `into`. */
async function pool<T>(args: ConnectArgs, into: T[], open: () => Promise<T>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < args.count) {
      next++;
      into.push(await open());
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, args.count) }, worker));
}

async function connect(args: ConnectArgs): Promise<number> {
  await pool(args, sockets, () => connectRaw(args.port, tally, args.timeoutMs));
  return sockets.length;
}

/** Like `connect`, on bare TCP sockets (see net-client.ts); resolves with how many completed the Socket.IO connect. */
async function connectBare(args: ConnectArgs): Promise<number> {
  await pool(args, netClients, () => connectNet(args.port, tally, args.timeoutMs));
  return netClients.filter((c) => c.connected).length;
}

/** Bare clients on polling first (see poll-client.ts); resolves with how many completed the upgrade. */
async function connectPollBare(args: ConnectArgs): Promise<number> {
  await pool(args, pollClients, () => connectPoll(args.port, agent, tally, args.timeoutMs));
  return pollClients.filter((c) => c.connected).length;
}

/** socket.io-client on polling first, resolved once each has upgraded to WebSocket. */
async function connectPolling(args: ConnectArgs): Promise<number> {
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const socket = sioClient(`http://127.0.0.1:${args.port}`, { forceNew: true, transports: ["polling", "websocket"], reconnection: false });
      pollers.push(socket);
      const timer = setTimeout(() => reject(new Error(`polling client: no upgrade within ${args.timeoutMs} ms`)), args.timeoutMs);
      socket.io.engine.once("upgrade", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("connect_error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  for (let i = 0; i < args.count; i += args.concurrency) {
    await Promise.all(Array.from({ length: Math.min(args.concurrency, args.count - i) }, one));
  }
  return pollers.length;
}

serve({
  connect: (args: ConnectArgs) => connect(args),
  connectNet: (args: ConnectArgs) => connectBare(args),
  connectPollNet: (args: ConnectArgs) => connectPollBare(args),
  connectPolling: (args: ConnectArgs) => connectPolling(args),
  reset: (track: boolean) => {
    cpuSince = process.cpuUsage();
    return tally.reset(track === true);
  },
  cpu: () => cpuMsSince(cpuSince),
  /** Restarts the CPU count alone, keeping the frame counts. */
  cpuStart: () => {
    cpuSince = process.cpuUsage();
    return null;
  },
  counts: () => ({ text: tally.text, binary: tally.binary }),
  latencies: () => tally.takeLatencies(),
  /** The slow consumer: stop reading from `count` sockets, so the server's writes back up. */
  pause: (count: number) => {
    for (const ws of sockets.slice(0, count)) ws.pause();
    return null;
  },
  close: () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    for (const c of netClients.splice(0)) c.terminate();
    for (const c of pollClients.splice(0)) c.terminate();
    // Idle keep-alive sockets would outlive the round, and the server may close them under a
    // request of the next one; the agent opens new ones as needed.
    agent.destroy();
    for (const s of pollers.splice(0)) s.disconnect();
    return null;
  },
});
ready();
