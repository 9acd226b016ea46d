import type * as client from "../dist/lib/client/index.js";

/** `require("rtio")`: `io`, with `Manager`, `Socket`, `io`, `connect` and `protocol` on it. */
declare const io: typeof client.io;
declare namespace io {
  type Manager<L extends client.EventsMap = client.DefaultEventsMap, E extends client.EventsMap = L> = client.Manager<L, E>;
  type Socket<L extends client.EventsMap = client.DefaultEventsMap, E extends client.EventsMap = L> = client.Socket<L, E>;
  type ManagerOptions = client.ManagerOptions;
  type SocketOptions = client.SocketOptions;
  type DisconnectReason = client.DisconnectReason;
}
export = io;
