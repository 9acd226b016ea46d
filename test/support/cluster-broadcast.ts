// The exactly-once check of the cluster tests: emits from given nodes, then one marker from
// each node, and compares what every client got with who each emit was meant for.
import assert from "node:assert/strict";
import type { ClientKind, ClientSocket, ClusterNode, SocketInfo, Target } from "./cluster-harness.js";
import { connectClient, withSafetyNet } from "./cluster-harness.js";

export interface Member {
  name: string;
  node: number;
  kind: ClientKind;
  rooms: string[];
  socket: ClientSocket;
  /** The first argument of every "m" event, in arrival order. */
  got: number[];
}

export interface Emit {
  /** The node index, or "outside" for a Redis emitter process. */
  from: number | "outside";
  t: Target;
  value: number;
}

export function reaches(m: Pick<Member, "node" | "rooms">, from: number | "outside", t: Target): boolean {
  if (t.local && m.node !== from) return false;
  const to = [...(t.to ?? []), ...(t.in ?? [])];
  if (to.length && !to.some((r) => m.rooms.includes(r))) return false;
  return !t.except?.some((r) => m.rooms.includes(r));
}

export function listen(socket: ClientSocket): number[] {
  const got: number[] = [];
  socket.on("m", (v: number) => got.push(v));
  return got;
}

/**
 * Connects one client per layout row to its node, in its rooms, with `data.name` set; each
 * answers "ask" with its name and records every "m" event.
 */
export function connectMembers(nodes: ClusterNode[], layout: Array<Pick<Member, "name" | "node" | "kind" | "rooms">>, sockets: ClientSocket[]): Promise<Member[]> {
  return Promise.all(
    layout.map(async (l) => {
      const socket = await connectClient(nodes[l.node]!.url, { kind: l.kind, rooms: l.rooms, data: { name: l.name } }, sockets);
      socket.on("ask", (cb: (v: string) => void) => cb(l.name));
      return { ...l, socket, got: listen(socket) };
    }),
  );
}

/**
 * Runs `emits` (each through `send`), then a marker from every node; once every client has all
 * the markers, each must have got exactly the values meant for it. Per origin, the adapters
 * keep order, so a client that got a node's marker got everything that node sent before it.
 */
export async function expectBroadcasts(
  nodes: ClusterNode[],
  members: Member[],
  emits: Emit[],
  send: (e: Emit) => Promise<unknown> = (e) => nodes[e.from as number]!.call("emit", e.t, "m", e.value),
): Promise<void> {
  for (const m of members) m.got.length = 0;
  const markers = members.map((m) =>
    withSafetyNet(`${m.name}: markers`, 20_000, (resolve) => {
      let seen = 0;
      const on = () => ++seen === nodes.length && resolve(undefined);
      m.socket.on("end", on);
      return () => m.socket.off("end", on);
    }),
  );
  for (const e of emits) await send(e);
  await Promise.all(nodes.map((n) => n.call("emit", {}, "end")));
  await Promise.all(markers);
  for (const m of members) {
    const expected = emits.filter((e) => reaches(m, e.from, e.t)).map((e) => e.value).sort((x, y) => x - y);
    assert.deepEqual([...m.got].sort((x, y) => x - y), expected, `client ${m.name} on n${m.node}`);
  }
}

/** The mixed cluster of mixed-cluster.test.ts and postgres-adapter.test.ts: rtio and socket.io nodes in turn. */
export const MIXED_IMPLS = ["rtio", "socket.io", "rtio", "socket.io"] as const;

/** Its clients: both kinds on both kinds of node, in overlapping rooms. */
export const MIXED_LAYOUT: Array<Pick<Member, "name" | "node" | "kind" | "rooms">> = [
  { name: "a", node: 0, kind: "rtio", rooms: ["red"] },
  { name: "b", node: 0, kind: "official", rooms: [] },
  { name: "c", node: 1, kind: "rtio", rooms: ["red"] },
  { name: "d", node: 1, kind: "official", rooms: ["blue"] },
  { name: "e", node: 2, kind: "official", rooms: ["blue", "red"] },
  { name: "f", node: 3, kind: "rtio", rooms: ["blue"] },
];

/** Broadcasts from each kind of node to it: all, rooms, except, local. */
export const MIXED_BROADCASTS: Emit[] = [
  { from: 0, t: {}, value: 1 },
  { from: 1, t: {}, value: 2 },
  { from: 1, t: { to: ["red"] }, value: 3 },
  { from: 0, t: { to: ["blue"], except: ["red"] }, value: 4 },
  { from: 3, t: { to: ["red", "blue"] }, value: 5 },
  { from: 2, t: { except: ["blue"] }, value: 6 },
  { from: 3, t: { local: true }, value: 7 },
];

/**
 * Runs `act` (a socketsJoin or socketsLeave, from a node or an emitter) and waits until the node
 * of each of `moved` reports that its socket joined (or left) `room`; then node `fetchFrom` must
 * find in `room` exactly the moved sockets after a join, and no one after a leave.
 */
export async function expectRoomMove(
  nodes: ClusterNode[],
  moved: Member[],
  change: "join-room" | "leave-room",
  room: string,
  act: () => unknown,
  fetchFrom: number,
): Promise<void> {
  const changed = Promise.all(moved.map((m) => nodes[m.node]!.next(change, (r, id) => r === room && id === m.socket.id)));
  await act();
  await changed;
  const inRoom = await nodes[fetchFrom]!.call<SocketInfo[]>("fetchSockets", { to: [room] });
  const expected = change === "join-room" ? moved.map((m) => m.socket.id) : [];
  assert.deepEqual(inRoom.map((s) => s.id).sort(), expected.sort());
}
