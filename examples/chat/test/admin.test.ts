// The @socket.io/admin-ui dashboard, served by the demo at /admin, against the rtio server:
// it logs in with the package's basic auth, sees the demo's namespaces, rooms and sockets,
// and a socket it disconnects really is disconnected.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { io, type Socket } from "../../../src/client/index.js";
import { assertBundleServed, launchChromium, startDemo, type Demo } from "./support.js";

const WAIT = { timeout: 20_000 };

let demo: Demo;
let browser: Browser;
let page: Page;
let carol: Socket;

before(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
  await assertBundleServed(demo.url);
  // A chat user, from Node, with the rtio client: in the default namespace and in room "lab".
  carol = io(demo.url, { auth: { nickname: "carol" }, reconnection: false, transports: ["websocket"] });
  await new Promise((resolve) => carol.once("connect", () => resolve(undefined)));
  const joined = (await carol.emitWithAck("join", "lab")) as { ok: boolean };
  assert.equal(joined.ok, true);
});

after(async () => {
  carol?.close();
  await browser?.close();
  await demo?.kill();
});

test("the demo prints where the dashboard is and how to log in", () => {
  assert.match(demo.output(), /admin dashboard: http:\/\/localhost:\d+\/admin .*username "admin", password "s3cret-test"/);
});

test("wrong credentials are refused", async () => {
  const intruder = io(`${demo.url}/admin`, { auth: { username: "admin", password: "guess" }, reconnection: false, forceNew: true });
  const err = await new Promise<Error>((resolve) => intruder.once("connect_error", resolve));
  assert.equal(err.message, "invalid credentials");
  intruder.close();
});

test("the dashboard logs in and shows the demo's namespaces", async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The dashboard loads fonts from CDNs; offline, they fail: do not wait for them.
  await page.goto(`${demo.url}/admin`, { waitUntil: "domcontentloaded" });
  await page.getByLabel("Server URL").fill(demo.url);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("s3cret-test");
  await page.getByRole("button", { name: "Connect" }).click();
  await page.getByText("connected", { exact: true }).first().waitFor(WAIT);
  for (const nsp of ["/", "/admin"]) await page.locator("td code", { hasText: new RegExp(`^${nsp}$`) }).waitFor(WAIT);
});

test("the dashboard lists the demo's rooms", async () => {
  await page.getByText("Rooms", { exact: true }).first().click();
  await page.locator("td", { hasText: /^lab$/ }).waitFor(WAIT);
});

test("the dashboard lists the connected socket, and disconnecting it really disconnects it", async () => {
  await page.getByText("Sockets", { exact: true }).first().click();
  const id = carol.id!;
  const row = page.locator("tbody tr", { hasText: id });
  await row.waitFor(WAIT);
  const disconnected = new Promise<string>((resolve) => carol.once("disconnect", resolve));
  await row.locator("button").click();
  const reason = await disconnected;
  assert.equal(reason, "io server disconnect");
  assert.equal(carol.connected, false);
  // And the dashboard, told by the server, no longer lists it.
  await page.getByText("Sockets", { exact: true }).first().click();
  await page.waitForFunction((gone) => !document.body.innerText.includes(gone), id, WAIT);
});
