// The packet types as plain constants, for the codec's and the client's own code: a minifier
// puts the number in place of each, where `PacketType.EVENT` would stay a property read of the
// exported enum object in every bundle. PacketType (packet.ts) has the same numbers.
export const CONNECT = 0;
export const DISCONNECT = 1;
export const EVENT = 2;
export const ACK = 3;
export const CONNECT_ERROR = 4;
export const BINARY_EVENT = 5;
export const BINARY_ACK = 6;
