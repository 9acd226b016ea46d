// The @socket.io/admin-ui dashboard, unchanged: its `instrument()` on our server, and the
// static dashboard page the package ships, served at /admin with the package's basic auth.
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { instrument } from "@socket.io/admin-ui";
import bcrypt from "bcryptjs";
import type { ChatServer } from "./chat.js";

const require = createRequire(import.meta.url);

/** The dashboard's static files, as the npm package ships them. */
export const ADMIN_UI_DIR = join(dirname(require.resolve("@socket.io/admin-ui")), "..", "ui", "dist");

export interface AdminCredentials {
  username: string;
  password: string;
}

/**
 * Instruments `io` for the dashboard. The password comes from ADMIN_PASSWORD, or is made up
 * at start (and printed), never a default an attacker could guess.
 */
export function setupAdmin(io: ChatServer, env: NodeJS.ProcessEnv = process.env): AdminCredentials {
  const credentials = {
    username: env.ADMIN_USERNAME || "admin",
    password: env.ADMIN_PASSWORD || randomBytes(9).toString("base64url"),
  };
  // admin-ui's types name socket.io's Server; rtio's has the same shape at run time.
  instrument(io as unknown as Parameters<typeof instrument>[0], {
    auth: { type: "basic", username: credentials.username, password: bcrypt.hashSync(credentials.password, 10) },
    mode: "development",
  });
  return credentials;
}
