// What the demo's tests share: the demo server as a child process (so it can be killed and
// started again on the same port, as a user would), and a headless Chromium.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

const SERVER = fileURLToPath(new URL("../server.ts", import.meta.url));

export interface Demo {
  url: string;
  port: number;
  output: () => string;
  /** Kills the server (SIGKILL: a crash, not a goodbye) and waits for the process to end. */
  kill(): Promise<void>;
}

/** Starts the demo on `port` (0: a free one) and resolves once it printed its address. */
export async function startDemo(port = 0, env: Record<string, string> = {}): Promise<Demo> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", SERVER], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ADMIN_PASSWORD: "s3cret-test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = once(child, "exit");
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /rtio chat demo: open (http:\/\/localhost:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`demo server exited (${code}) before listening:\n${output}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Fails with a clear message if the client bundle the page loads is not built. */
export async function assertBundleServed(url: string): Promise<void> {
  const res = await fetch(`${url}/socket.io/socket.io.min.js`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}/socket.io/socket.io.min.js answered ${res.status}: run \`npm run build\` first`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** A valid 8x8 red PNG, small enough to compare byte for byte. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC",
  "base64",
);
