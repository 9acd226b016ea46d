// A throwaway self-signed certificate for 127.0.0.1, for tests of https and http2 servers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let certificate: { key: string; cert: string } | null | undefined;

/** The certificate and its key (made once per process), or null without openssl. */
export function selfSigned(): { key: string; cert: string } | null {
  if (certificate !== undefined) return certificate;
  const dir = mkdtempSync(join(tmpdir(), "rtio-tls-"));
  const r = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-subj", "/CN=127.0.0.1", "-days", "1"], { stdio: "ignore" });
  certificate = r.status === 0 ? { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") } : null;
  rmSync(dir, { recursive: true, force: true });
  return certificate;
}
