// The demo in a real browser: two people chat in a room, one sends a picture, the server is
// killed and started again on the same port, and both pages reconnect and carry on.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { assertBundleServed, launchChromium, PNG, startDemo, type Demo } from "./support.js";

const SCREENSHOT = fileURLToPath(new URL("../../../docs/images/chat.png", import.meta.url));
const WAIT = { timeout: 20_000 };

let demo: Demo;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
  await assertBundleServed(demo.url);
});

after(async () => {
  await browser?.close();
  await demo?.kill();
});

async function openPage(query = ""): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error("page error:", err));
  await page.goto(demo.url + query);
  return page;
}

async function login(page: Page, nickname: string): Promise<void> {
  await page.fill("#nickname", nickname);
  await page.click("#login button");
  await page.waitForSelector('#state[data-state="connected"]', WAIT);
  await page.waitForSelector('#rooms li.current[data-room="general"]', WAIT);
}

const stateOf = (page: Page) => page.getAttribute("#state", "data-state");
const membersOf = (page: Page) => page.$$eval("#members li", (lis) => lis.map((li) => li.textContent));

async function send(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.click("#composer button[type=submit]");
}

/** Waits until `page` shows a message `text` from `from` (the sender's own copy has class mine). */
function messageFrom(page: Page, from: string, text: string) {
  return page.waitForSelector(`#messages li.message[data-from="${from}"] .text:text-is("${text}")`, WAIT);
}

let ada: Page;
let bob: Page;

test("an empty nickname gets a clear message, and nobody connects", async () => {
  ada = await openPage();
  await ada.click("#login button");
  assert.match((await ada.textContent("#login-error")) ?? "", /Please enter a nickname/);
  assert.equal(await stateOf(ada), "offline");
  await ada.fill("#nickname", "<script>");
  await ada.click("#login button");
  assert.match((await ada.textContent("#login-error")) ?? "", /letters, digits/);
});

test("two people join the same room and see each other present", async () => {
  bob = await openPage();
  await login(ada, "ada");
  await login(bob, "bob");
  await ada.waitForFunction(() => document.querySelectorAll("#members li").length === 2, null, WAIT);
  assert.deepEqual(await membersOf(ada), ["ada", "bob"]);
  assert.deepEqual(await membersOf(bob), ["ada", "bob"]);
});

test("a message is acknowledged as delivered and shows in the other page", async () => {
  await send(ada, "hello bob");
  await ada.waitForSelector('#messages li.mine.delivered .text:text-is("hello bob")', WAIT);
  await messageFrom(bob, "ada", "hello bob");
  await send(bob, "hi ada!");
  await messageFrom(ada, "bob", "hi ada!");
});

test("typing shows in the other page", async () => {
  await bob.type("#text", "typing…");
  await ada.waitForSelector('#typing:has-text("bob is typing")', WAIT);
  await bob.fill("#text", "");
});

test("a picture goes to the room as binary and arrives byte for byte", async () => {
  await ada.setInputFiles("#file", { name: "red.png", mimeType: "image/png", buffer: PNG });
  await ada.waitForSelector("#messages li.picture.mine.delivered", WAIT);
  const img = await bob.waitForSelector('#messages li.picture[data-from="ada"] img', WAIT);
  await bob.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, img, WAIT);
  const received = await img.evaluate(async (el) => {
    const bytes = new Uint8Array(await (await fetch((el as HTMLImageElement).src)).arrayBuffer());
    return { width: (el as HTMLImageElement).naturalWidth, bytes: Array.from(bytes) };
  });
  assert.equal(received.width, 8);
  assert.deepEqual(Buffer.from(received.bytes), PNG);
});

test("pictures go both ways with a page on HTTP long-polling only (no WebSocket)", async () => {
  const carl = await openPage("/?transports=polling");
  try {
    await login(carl, "carl");
    assert.equal(await carl.evaluate(() => document.querySelector("#state")?.textContent), "connected");
    await ada.setInputFiles("#file", { name: "to-carl.png", mimeType: "image/png", buffer: PNG });
    const img = await carl.waitForSelector('#messages li.picture[data-from="ada"] img', WAIT);
    await carl.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 8, img, WAIT);
    await carl.setInputFiles("#file", { name: "from-carl.png", mimeType: "image/png", buffer: PNG });
    await carl.waitForSelector("#messages li.picture.mine.delivered", WAIT);
    await ada.waitForSelector('#messages li.picture[data-from="carl"] img', WAIT);
  } finally {
    await carl.context().close();
  }
  // A polling page closed while its next GET is not yet out leaves no request to break: the
  // server learns it is gone at the ping timeout (25 s + 20 s by default), not at once.
  await ada.waitForFunction(() => document.querySelectorAll("#members li").length === 2, null, { timeout: 90_000 });
});

test("a picture over the size limit gets a clear message and is not sent", async () => {
  const before = await bob.$$eval("#messages li.picture", (lis) => lis.length);
  await ada.setInputFiles("#file", { name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(3 * 1024 * 1024) });
  assert.match((await ada.textContent("#chat-error")) ?? "", /3\.0 MB; the limit is 2\.0 MB/);
  await ada.setInputFiles("#file", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hi") });
  assert.match((await ada.textContent("#chat-error")) ?? "", /Only pictures can be sent/);
  // A later message proves the pipe is flowing, so a stray picture would have shown by then.
  await send(ada, "no picture came?");
  await messageFrom(bob, "ada", "no picture came?");
  assert.equal(await bob.$$eval("#messages li.picture", (lis) => lis.length), before);
});

test("rooms can be joined and left, and presence follows", async () => {
  await bob.fill("#room-name", "lab");
  await bob.click("#new-room button");
  await bob.waitForSelector('#rooms li.current[data-room="lab"]', WAIT);
  await ada.waitForSelector('#rooms li[data-room="lab"] .count:text-is("1")', WAIT);
  await ada.click('#rooms li[data-room="lab"] button.join');
  await bob.waitForSelector('#rooms li[data-room="lab"] .count:text-is("2")', WAIT);
  await ada.click('#rooms li[data-room="lab"] button.leave');
  await bob.waitForSelector('#rooms li[data-room="lab"] .count:text-is("1")', WAIT);
  await bob.click('#rooms li[data-room="general"] .name');
  await bob.waitForSelector('#rooms li.current[data-room="general"]', WAIT);
});

test("a dropped connection is recovered with what was missed", async () => {
  await ada.click("#drop");
  await ada.waitForSelector('#state[data-state="recovered"]', WAIT);
  await send(bob, "after your drop");
  await messageFrom(ada, "bob", "after your drop");
});

test("after a server restart both pages reconnect, show attempts, and carry on", async () => {
  const port = demo.port;
  await demo.kill();
  for (const page of [ada, bob]) {
    await page.waitForSelector('#state[data-state="reconnecting"]:has-text("attempt")', WAIT);
  }
  // Written while the server is down: socket.io buffers it and sends it once reconnected.
  await send(ada, "written while offline");
  await ada.waitForSelector('#messages li.mine .status:text-is("queued: offline")', WAIT);

  demo = await startDemo(port);
  for (const page of [ada, bob]) await page.waitForSelector('#state[data-state="connected"]', WAIT);
  await ada.waitForSelector('#messages li.mine.delivered .text:text-is("written while offline")', WAIT);
  await messageFrom(bob, "ada", "written while offline");
  await send(bob, "welcome back");
  await messageFrom(ada, "bob", "welcome back");
  await ada.waitForFunction(() => document.querySelectorAll("#members li").length === 2, null, WAIT);
});

test("screenshot for the README", async () => {
  // A picture drawn by the browser itself, big enough to see in the screenshot.
  const drawn = await bob.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 160;
    const g = canvas.getContext("2d")!;
    const gradient = g.createLinearGradient(0, 0, 320, 160);
    gradient.addColorStop(0, "#2563eb");
    gradient.addColorStop(1, "#db2777");
    g.fillStyle = gradient;
    g.fillRect(0, 0, 320, 160);
    g.fillStyle = "white";
    g.font = "bold 48px sans-serif";
    g.fillText("rtio", 110, 95);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), "image/png"));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  await bob.setInputFiles("#file", { name: "banner.png", mimeType: "image/png", buffer: Buffer.from(drawn) });
  const img = await ada.waitForSelector('#messages li.picture[data-from="bob"] img', WAIT);
  await ada.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 320, img, WAIT);
  await send(bob, "nice, pictures work too");
  await messageFrom(ada, "bob", "nice, pictures work too");
  await bob.type("#text", "…");
  await ada.waitForSelector('#typing:has-text("bob is typing")', WAIT);

  mkdirSync(fileURLToPath(new URL(".", `file://${SCREENSHOT}`)), { recursive: true });
  await ada.screenshot({ path: SCREENSHOT });
});
