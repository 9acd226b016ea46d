/**
 * What every broadcast-style server offers the driver, whichever layer it is built on: count the
 * connected clients, and send one event to all of them or to the half that joined room "half".
 */
export type Audience = "all" | "half";

/** An event as the bench sends it: a JSON-able payload, or a Buffer (a binary event). */
export type Payload = { kind: "json"; value: unknown } | { kind: "binary"; value: Buffer };

export interface Broadcaster {
  connected(): number;
  /** Restarts the every-other-connection count, so each round's first client joins "half". */
  newRound(): void;
  broadcast(audience: Audience, event: string, payload: Payload): void;
  close(): Promise<void>;
}

/** Every other connection joins "half": the room target of the fan-out scenario. */
export const HALF_ROOM = "half";
