// The chat server's own checks, from a Node client that skips the page's validation: a page
// can be bypassed, so the server must refuse bad input by itself, with a reason.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { io, type Socket } from "../../../src/client/index.js";
import { createChatApp, type ChatApp } from "../app.js";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../protocol.js";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let app: ChatApp;
const clients: Client[] = [];

before(async () => {
  app = await createChatApp({ ADMIN_PASSWORD: "test" });
  await app.listen(0, "127.0.0.1");
});

after(async () => {
  for (const c of clients) c.close();
  await app.close();
});

function connect(auth: object): Client {
  const c: Client = io(app.url, { auth, forceNew: true, reconnection: false, transports: ["websocket"] });
  clients.push(c);
  return c;
}

const connected = (c: Client) => new Promise<void>((resolve, reject) => {
  c.once("connect", resolve);
  c.once("connect_error", reject);
});

test("a connection without a nickname is refused with the reason", async () => {
  for (const auth of [{}, { nickname: "   " }, { nickname: 42 }, { nickname: "x".repeat(25) }]) {
    const err = await connected(connect(auth)).then(() => undefined, (e: Error & { data?: { field?: string } }) => e);
    assert.ok(err, `accepted ${JSON.stringify(auth)}`);
    assert.match(err.message, /nickname/);
    assert.deepEqual(err.data, { field: "nickname" });
  }
});

test("join, message and picture are checked, and acked with the reason", async () => {
  const eve = connect({ nickname: "eve" });
  const dan = connect({ nickname: "dan" });
  await Promise.all([connected(eve), connected(dan)]);

  const badRoom = (await eve.emitWithAck("join", "")) as Ack<unknown>;
  assert.deepEqual(badRoom, { ok: false, error: "Please enter a room." });

  const joined = await eve.emitWithAck("join", "lab");
  assert.equal(joined.ok, true);
  await dan.emitWithAck("join", "lab");

  assert.deepEqual(await eve.emitWithAck("message", "lab", "  "), { ok: false, error: "An empty message is not sent." });
  assert.equal((await eve.emitWithAck("message", "lab", "x".repeat(2001))).ok, false);

  const tooBig = await eve.emitWithAck("picture", "lab", { name: "big.png", type: "image/png", data: new ArrayBuffer(2 * 1024 * 1024 + 1) });
  assert.deepEqual(tooBig, { ok: false, error: "This picture is 2.0 MB; the limit is 2.0 MB." });
  const notPicture = await eve.emitWithAck("picture", "lab", { name: "a.txt", type: "text/plain", data: new ArrayBuffer(3) });
  assert.equal(notPicture.ok, false);
  const notBinary = await eve.emitWithAck("picture", "lab", { name: "a.png", type: "image/png", data: "aGk=" as unknown as ArrayBuffer });
  assert.deepEqual(notBinary, { ok: false, error: "The picture did not arrive as binary." });

  // And what is fine goes through: dan gets eve's message and her picture's bytes.
  const gotMessage = new Promise<string>((resolve) => dan.once("message", (m) => resolve(`${m.from}: ${m.text}`)));
  const sent = await eve.emitWithAck("message", "lab", "hi dan");
  assert.equal(sent.ok, true);
  assert.equal(await gotMessage, "eve: hi dan");
  const gotPicture = new Promise<Uint8Array>((resolve) => dan.once("picture", (p) => resolve(new Uint8Array(p.data as ArrayBuffer))));
  assert.equal((await eve.emitWithAck("picture", "lab", { name: "p.png", type: "image/png", data: new Uint8Array([1, 2, 3]).buffer })).ok, true);
  assert.deepEqual([...(await gotPicture)], [1, 2, 3]);
});

test("presence lists who is in a room, and follows a disconnect", async () => {
  const [a, b] = [connect({ nickname: "ann" }), connect({ nickname: "ben" })];
  await Promise.all([connected(a), connected(b)]);
  await a.emitWithAck("join", "quiet");
  const joined = await b.emitWithAck("join", "quiet");
  assert.ok(joined.ok);
  assert.deepEqual(joined.ok && joined.value.members, ["ann", "ben"]);
  const left = new Promise<string[]>((resolve) => a.on("presence", (room, members) => room === "quiet" && members.length === 1 && resolve(members)));
  b.close();
  assert.deepEqual(await left, ["ann"]);
});
