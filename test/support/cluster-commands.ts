// What the test can ask a cluster node to do (over IPC, see cluster-node.ts): the socket.io
// server API that spans the cluster (broadcasts with their flags, broadcasts with acks,
// fetchSockets and remote sockets, socketsJoin/Leave, disconnectSockets, serverSideEmit).
// The same code drives rtio's server and socket.io's, so both take part in mixed clusters.

/* eslint-disable @typescript-eslint/no-explicit-any -- drives two server implementations */
export type AnyServer = any;

/** Who a broadcast is for, and its flags: the BroadcastOperator chain, as data. */
export interface Target {
  to?: string[];
  /** Same as `to` (socket.io's alias). */
  in?: string[];
  except?: string[];
  local?: boolean;
  volatile?: boolean;
  compress?: boolean;
  timeout?: number;
}

export interface SocketInfo {
  id: string;
  rooms: string[];
  data: unknown;
}

type Report = (event: string, ...args: unknown[]) => void;
export type Command = (...args: any[]) => unknown;

function operator(io: AnyServer, t: Target = {}): AnyServer {
  let op = io.of("/");
  if (t.to?.length) op = op.to(t.to);
  if (t.in?.length) op = op.in(t.in);
  if (t.except?.length) op = op.except(t.except);
  if (t.local) op = op.local;
  if (t.volatile) op = op.volatile;
  if (t.compress !== undefined) op = op.compress(t.compress);
  if (t.timeout !== undefined) op = op.timeout(t.timeout);
  return op;
}

const info = (s: AnyServer): SocketInfo => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data });

async function remote(io: AnyServer, id: string): Promise<AnyServer> {
  const [socket] = await io.of("/").in(id).fetchSockets();
  if (!socket) throw new Error(`no socket ${id} in the cluster`);
  return socket;
}

export function commandsFor(io: AnyServer, name: string, report: Report, crashSafeStats?: () => unknown): Record<string, Command> {
  let silent = false;
  const nsp = io.of("/");
  // serverSideEmit lands here on every other node; the ack carries this node's name.
  nsp.on("tell", (...args: unknown[]) => {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as (v: unknown) => void) : undefined;
    report("tell", ...args);
    if (ack && !silent) ack(name);
  });

  return {
    name: () => name,
    serverCount: () => nsp.adapter.serverCount(),
    /** Resolves once the adapter sees `n` servers (third-party adapters have no event for it). */
    awaitServers: async (n: number) => {
      for (;;) {
        // Right after a Redis restart the count may fail: that is "not yet", not an error.
        const seen = ((await Promise.resolve(nsp.adapter.serverCount()).catch(() => 0)) as number) || 0;
        const known = nsp.adapter.nodesMap instanceof Map ? nsp.adapter.nodesMap.size + 1 : seen;
        if (seen >= n && known >= n) return seen;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    emit: (t: Target, event: string, ...args: unknown[]) => {
      operator(io, t).emit(event, ...args);
    },
    /** Binary cannot cross IPC as JSON: the node builds the Buffer from the byte values. */
    emitBinary: (t: Target, event: string, bytes: number[]) => {
      operator(io, t).emit(event, Buffer.from(bytes), { nested: Buffer.from(bytes.slice().reverse()) });
    },
    emitWithAck: async (t: Target, event: string, ...args: unknown[]) => {
      const replies = (await operator(io, t).emitWithAck(event, ...args)) as unknown[];
      return replies.map(String).sort();
    },
    fetchSockets: async (t: Target) => {
      const sockets = (await operator(io, t).fetchSockets()) as AnyServer[];
      return sockets.map(info).sort((a, b) => a.id.localeCompare(b.id));
    },
    remoteEmit: async (id: string, event: string, ...args: unknown[]) => {
      (await remote(io, id)).emit(event, ...args);
    },
    remoteEmitWithAck: async (id: string, timeout: number, event: string, ...args: unknown[]) => {
      return (await remote(io, id)).timeout(timeout).emitWithAck(event, ...args);
    },
    remoteJoin: async (id: string, room: string) => {
      await (await remote(io, id)).join(room);
    },
    remoteLeave: async (id: string, room: string) => {
      await (await remote(io, id)).leave(room);
    },
    remoteDisconnect: async (id: string, close: boolean) => {
      (await remote(io, id)).disconnect(close);
    },
    socketsJoin: (t: Target, rooms: string[]) => {
      operator(io, t).socketsJoin(rooms);
    },
    socketsLeave: (t: Target, rooms: string[]) => {
      operator(io, t).socketsLeave(rooms);
    },
    disconnectSockets: (t: Target, close: boolean) => {
      operator(io, t).disconnectSockets(close);
    },
    serverSideEmit: (event: string, ...args: unknown[]) => {
      nsp.serverSideEmit(event, ...args);
    },
    serverSideEmitWithAck: async (event: string, ...args: unknown[]) => {
      // The adapter decides how long to wait (its requestsTimeout), as in socket.io.
      const replies = (await nsp.serverSideEmitWithAck(event, ...args)) as unknown[];
      return replies.map(String).sort();
    },
    /** This node stops answering serverSideEmit acks, as a stuck node would. */
    silence: (on: boolean) => {
      silent = on;
    },
    localSockets: () => [...nsp.sockets.values()].map(info),
    crashSafeStats: () => crashSafeStats?.() ?? null,
  };
}
