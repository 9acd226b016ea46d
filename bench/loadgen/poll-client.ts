/**
 * One load-generator connection that starts on HTTP long-polling and upgrades to WebSocket,
 * speaking just enough Engine.IO v4 and Socket.IO v5 for the connect storm: the requests go
 * through `node:http` on a keep-alive `Agent` shared by the process, the WebSocket is a bare TCP
 * socket framed by net-client.ts's helpers. socket.io-client in Node (XHR emulation,
 * engine.io-client, the parser, timers per socket) costs its process more than a server spends
 * on the same connection, so it, not the server, bounded the polling rate; this one costs a
 * fraction of it.
 *
 * The sequence, each step checked (anything else fails the connection with an Error naming
 * the step and what came instead):
 * 1. `GET ?EIO=4&transport=polling` -> status 200 and an open packet `0{...}` whose JSON has a
 *    string `sid` and `upgrades` including "websocket".
 * 2. `POST ...&sid=` `40` -> status 200, body `ok`.
 * 3. `GET ...&sid=` until the Socket.IO connect reply `40{"sid":"...` (a payload may hold
 *    several packets split by \x1e; pings `2` are answered with a POSTed `3`).
 * 4. A long-poll `GET` left pending, and the WebSocket `?EIO=4&transport=websocket&sid=`:
 *    `101`, `2probe` -> `3probe`, then `5`. The connection counts only once `3probe` came AND
 *    the pending long-poll has ended: with a noop `6` or an empty payload, or, after `5` went
 *    out, with the close `1` engine.io writes to it when the upgrade retires polling (or with a
 *    ping the server sent just before). Anything else in it (a close before `5`, an unknown
 *    packet) fails the connection. From then on pings are answered on the WebSocket.
 * What it does not check: the `Sec-WebSocket-Accept` value (see net-client.ts), and the
 * open packet's timing fields.
 *
 * The upgrade is sent as soon as `3probe` arrives, without waiting for the pending long-poll to
 * come back first as engine.io-client does: engine.io answers that poll with a noop only on a
 * 100 ms timer started by the probe, and a wait of 100 ms per connection would make the rate
 * measure that timer instead of the servers.
 */
import { Agent, request, type ClientRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { clientFrame, FrameReader, OP_BINARY, OP_CLOSE, OP_TEXT, PONG, upgradeRequest } from "./net-client.js";
import type { Tally } from "./tally.js";

const POLLING = "/socket.io/?EIO=4&transport=polling";
/** Engine.IO v4 separates the packets of one polling payload with a record separator. */
const SEPARATOR = "\x1e";
const PROBE = clientFrame("2probe");
const UPGRADE = clientFrame("5");
const POST_HEADERS = { "content-type": "text/plain;charset=UTF-8" };

/** Cache-busting `t` values, as engine.io-client puts on its requests. */
let tick = 0;

/**
 * The keep-alive agent of one load-generator process. Each connection in flight holds at most
 * two requests (the long-poll and a POST), so `inFlight` connections need twice that many sockets.
 */
export function pollAgent(inFlight: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: 2 * inFlight, maxFreeSockets: 2 * inFlight });
}

type Phase = "handshake" | "connect" | "reply" | "upgrade" | "connected";

export class PollClient {
  private phase: Phase = "handshake";
  private sid = "";
  /** Requests in flight, destroyed by terminate(). */
  private readonly requests = new Set<ClientRequest>();
  private ws: Socket | undefined;
  private probed = false;
  private upgradeSent = false;
  /** No polling GET is pending any more, nor will one be sent. */
  private pollEnded = false;
  /** A GET sent after the first long-poll came back early (with a ping) is pending. */
  private repolling = false;
  /** POSTed pongs in flight. */
  private posts = 0;
  private closed = false;
  private settle: ((err?: Error) => void) | undefined;

  constructor(
    private readonly port: number,
    private readonly agent: Agent,
    private readonly tally: Tally,
    settle: (err?: Error) => void,
  ) {
    this.settle = settle;
    this.run().catch((err: Error) => this.fail(err));
  }

  get connected(): boolean {
    return this.phase === "connected";
  }

  terminate(): void {
    this.settle = undefined;
    this.close();
  }

  private close(): void {
    this.closed = true;
    for (const req of this.requests) req.destroy();
    this.requests.clear();
    this.ws?.destroy();
  }

  private fail(err: Error): void {
    const settle = this.settle;
    this.settle = undefined;
    this.close();
    settle?.(err);
  }

  private async run(): Promise<void> {
    this.sid = parseOpen(await this.send("GET"));
    this.phase = "connect";
    const ok = await this.send("POST", "40");
    if (ok !== "ok") throw new Error(`poll client: POST 40 answered ${JSON.stringify(ok.slice(0, 80))}, expected "ok"`);
    this.phase = "reply";
    await this.connectReply();
    if (this.closed) return;
    this.phase = "upgrade";
    this.longPoll(false);
    this.openWebSocket();
  }

  /** Polls until the Socket.IO connect reply; fails on a refused namespace or a closed session. */
  private async connectReply(): Promise<void> {
    for (;;) {
      const packets = (await this.send("GET")).split(SEPARATOR);
      if (packets.includes("2")) await this.pong();
      const reply = packets.find((p) => p[0] === "4");
      if (reply !== undefined) {
        if (reply.startsWith('40{"sid":"')) return;
        throw new Error(`poll client: no Socket.IO connect, got ${reply.slice(0, 80)}`);
      }
      const other = packets.find((p) => p !== "2" && p !== "6");
      if (other !== undefined) throw new Error(`poll client: got ${JSON.stringify(other.slice(0, 80))} while waiting for the Socket.IO connect`);
    }
  }

  private async pong(): Promise<void> {
    const ok = await this.send("POST", "3");
    if (ok !== "ok") throw new Error(`poll client: POST 3 answered ${JSON.stringify(ok.slice(0, 80))}, expected "ok"`);
  }

  /** A pong on the transport the server reads: polling until `5` is out, the WebSocket after. */
  private pongAnywhere(): void {
    if (this.upgradeSent) return void this.ws!.write(PONG);
    this.posts++;
    this.pong().then(
      () => {
        this.posts--;
        this.maybeUpgrade();
      },
      (err: Error) => this.fail(err),
    );
  }

  /** The GET the upgrade must end: engine.io answers it once it stops writing to polling. */
  private longPoll(again: boolean): void {
    this.repolling = again;
    this.send("GET").then(
      (body) => this.onPollEnd(body),
      (err: Error) => this.fail(err),
    );
  }

  /**
   * A poll may carry pings (answered) and messages (counted) besides its end. Polling stops,
   * as engine.io-client's does, on a noop or an empty payload, or on any payload once `3probe`
   * came; the server, which retires polling when `5` arrives, writes its close `1` to a poll
   * still pending then. Before `3probe`, a poll that brought only pings is sent again.
   */
  private onPollEnd(body: string): void {
    this.repolling = false;
    let ended = this.probed || body === "";
    for (const packet of body.split(SEPARATOR)) {
      if (packet === "6") ended = true;
      else if (packet === "2") this.pongAnywhere();
      else if (packet[0] === "4") this.tally.onText(packet);
      else if (packet !== "" && !(packet === "1" && this.upgradeSent)) {
        return this.fail(new Error(`poll client: the long-poll ended with ${JSON.stringify(body.slice(0, 80))} during the upgrade`));
      }
    }
    if (!ended) return this.longPoll(true);
    this.pollEnded = true;
    this.maybeUpgrade();
    this.maybeConnected();
  }

  /**
   * Sends `5` once `3probe` came and no polling request that the server might read after the
   * upgrade is in flight: such a request would get a 400 (its transport is no longer polling).
   * The first long-poll does not count: it reached the server before the WebSocket did.
   */
  private maybeUpgrade(): void {
    if (!this.probed || this.upgradeSent || this.repolling || this.posts > 0 || this.closed) return;
    this.upgradeSent = true;
    this.ws!.write(UPGRADE);
    this.maybeConnected();
  }

  private openWebSocket(): void {
    const ws = connect(this.port, "127.0.0.1");
    this.ws = ws;
    const reader = new FrameReader(ws, "poll client", {
      onopen: () => void ws.write(PROBE),
      onframe: (opcode, buf, start, end) => this.onframe(opcode, buf, start, end),
      fail: (err) => this.fail(err),
    });
    ws.setNoDelay(true);
    ws.write(upgradeRequest(this.port, this.sid));
    ws.on("data", (chunk: Buffer) => reader.push(chunk));
    ws.on("error", (err) => this.fail(err));
    ws.on("close", () => this.fail(new Error(`poll client: WebSocket closed during ${this.phase}`)));
  }

  private onframe(opcode: number, buf: Buffer, start: number, end: number): void {
    if (opcode === OP_BINARY) {
      this.tally.binary++;
    } else if (opcode === OP_CLOSE) {
      this.fail(new Error(`poll client: server closed the WebSocket during ${this.phase}`));
    } else if (opcode === OP_TEXT) {
      const c0 = buf[start];
      if (c0 === 0x32 /* 2 ping */) {
        this.ws!.write(PONG);
      } else if (c0 === 0x34 /* 4 message */ && this.phase === "connected") {
        this.tally.onText(buf.toString("utf8", start, end));
      } else if (!this.probed) {
        const text = buf.toString("utf8", start, end);
        if (text !== "3probe") return this.fail(new Error(`poll client: no 3probe, got ${JSON.stringify(text.slice(0, 80))}`));
        this.probed = true;
        this.maybeUpgrade();
      }
    }
  }

  private maybeConnected(): void {
    if (!this.upgradeSent || !this.pollEnded || this.phase === "connected") return;
    this.phase = "connected";
    const settle = this.settle;
    this.settle = () => {};
    settle?.();
  }

  /** One polling request; resolves with the body of a 200 response, rejects otherwise. */
  private send(method: "GET" | "POST", body?: string): Promise<string> {
    if (this.closed) return Promise.reject(new Error("poll client: terminated"));
    const sid = this.sid === "" ? "" : `&sid=${this.sid}`;
    const path = method === "GET" ? `${POLLING}${sid}&t=${tick++}` : `${POLLING}${sid}`;
    const what = `${method} during ${this.phase}`;
    return new Promise((resolve, reject) => {
      const req = request({ agent: this.agent, host: "127.0.0.1", port: this.port, method, path, headers: body === undefined ? {} : POST_HEADERS }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          this.requests.delete(req);
          if (res.statusCode === 200) resolve(text);
          else reject(new Error(`poll client: ${what}: HTTP ${res.statusCode} ${text.slice(0, 80)}`));
        });
      });
      this.requests.add(req);
      req.on("error", (err) => {
        this.requests.delete(req);
        reject(new Error(`poll client: ${what}: ${err.message}`, { cause: err }));
      });
      req.end(body);
    });
  }
}

/** The session id of an Engine.IO open packet, which must offer the WebSocket upgrade. */
function parseOpen(body: string): string {
  if (body[0] !== "0") throw new Error(`poll client: the handshake is not an open packet: ${JSON.stringify(body.slice(0, 80))}`);
  let open: { sid?: unknown; upgrades?: unknown };
  try {
    open = JSON.parse(body.slice(1)) as typeof open;
  } catch (err) {
    throw new Error(`poll client: the open packet is not JSON: ${JSON.stringify(body.slice(0, 80))}`, { cause: err });
  }
  if (typeof open.sid !== "string" || open.sid === "") throw new Error(`poll client: the open packet has no sid: ${body.slice(0, 80)}`);
  if (!Array.isArray(open.upgrades) || !open.upgrades.includes("websocket")) {
    throw new Error(`poll client: the open packet offers no websocket upgrade: ${body.slice(0, 120)}`);
  }
  return open.sid;
}

/** Opens one connection; resolves once it has upgraded to WebSocket (see the steps above). */
export function connectPoll(port: number, agent: Agent, tally: Tally, timeoutMs: number): Promise<PollClient> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.terminate();
      reject(new Error(`poll client: no completed upgrade within ${timeoutMs} ms`));
    }, timeoutMs);
    const client: PollClient = new PollClient(port, agent, tally, (err) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(client);
    });
  });
}
