// The opening handshake of rtio's WebSocket server (RFC 6455 §4.2): which upgrade requests it
// accepts, with the status and message `ws` gives for each it refuses, the subprotocol it
// picks, the accept value, and the exact bytes of a refusal and of the 101 response.
import assert from "node:assert/strict";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { acceptValue, checkUpgrade, firstProtocol, refusal, switchingProtocols, type UpgradeCheck } from "../../src/server/ws/handshake.js";
import { SAMPLE_WS_KEY } from "../support/ws-wire.js";

/** A request as Node's http parser hands it over: lower-case header names, trimmed values. */
function request(headers: IncomingHttpHeaders, method = "GET"): IncomingMessage {
  return { method, headers } as IncomingMessage;
}

const VALID: IncomingHttpHeaders = {
  upgrade: "websocket",
  connection: "Upgrade",
  "sec-websocket-key": SAMPLE_WS_KEY,
  "sec-websocket-version": "13",
};

function withHeaders(changes: Record<string, string | undefined>): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = { ...VALID };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return headers;
}

const INVALID_KEY = { ok: false, status: 400, message: "Missing or invalid Sec-WebSocket-Key header" } as const;
const INVALID_VERSION = {
  ok: false,
  status: 400,
  message: "Missing or invalid Sec-WebSocket-Version header",
  headers: { "Sec-WebSocket-Version": "13, 8" },
} as const;
const INVALID_UPGRADE = { ok: false, status: 400, message: "Invalid Upgrade header" } as const;
const INVALID_PROTOCOL = { ok: false, status: 400, message: "Invalid Sec-WebSocket-Protocol header" } as const;
const accepted = (protocol: string | undefined): UpgradeCheck => ({ ok: true, key: SAMPLE_WS_KEY, protocol });

interface Row {
  name: string;
  method?: string;
  changes?: Record<string, string | undefined>;
  expected: UpgradeCheck;
}

const ROWS: Row[] = [
  { name: "a valid version 13 request", expected: accepted(undefined) },
  { name: "version 8", changes: { "sec-websocket-version": "8" }, expected: accepted(undefined) },
  // The method is checked first, whatever else is wrong.
  { name: "POST", method: "POST", expected: { ok: false, status: 405, message: "Invalid HTTP method" } },
  { name: "HEAD with no headers at all", method: "HEAD", changes: { upgrade: undefined, "sec-websocket-key": undefined }, expected: { ok: false, status: 405, message: "Invalid HTTP method" } },
  { name: "lower-case method 'get'", method: "get", expected: { ok: false, status: 405, message: "Invalid HTTP method" } },
  // Upgrade: compared without regard to case.
  { name: "Upgrade: WebSocket", changes: { upgrade: "WebSocket" }, expected: accepted(undefined) },
  { name: "Upgrade: WEBSOCKET", changes: { upgrade: "WEBSOCKET" }, expected: accepted(undefined) },
  { name: "no Upgrade header", changes: { upgrade: undefined }, expected: INVALID_UPGRADE },
  { name: "Upgrade: h2c", changes: { upgrade: "h2c" }, expected: INVALID_UPGRADE },
  { name: "Upgrade: websocket2", changes: { upgrade: "websocket2" }, expected: INVALID_UPGRADE },
  { name: "Upgrade: websocket, h2c (ws refuses a list too)", changes: { upgrade: "websocket, h2c" }, expected: INVALID_UPGRADE },
  { name: "an empty Upgrade header", changes: { upgrade: "" }, expected: INVALID_UPGRADE },
  // Sec-WebSocket-Key: 16 bytes in base64, so 22 characters and "==".
  { name: "no key", changes: { "sec-websocket-key": undefined }, expected: INVALID_KEY },
  { name: "an empty key", changes: { "sec-websocket-key": "" }, expected: INVALID_KEY },
  { name: "a key of 15 bytes", changes: { "sec-websocket-key": Buffer.alloc(15, 1).toString("base64") }, expected: INVALID_KEY },
  { name: "a key of 17 bytes", changes: { "sec-websocket-key": Buffer.alloc(17, 1).toString("base64") }, expected: INVALID_KEY },
  { name: "a key without its padding", changes: { "sec-websocket-key": SAMPLE_WS_KEY.slice(0, 22) }, expected: INVALID_KEY },
  { name: "a key in base64url", changes: { "sec-websocket-key": "-_-_-_-_-_-_-_-_-_-_-_==" }, expected: INVALID_KEY },
  { name: "a key with a space inside", changes: { "sec-websocket-key": "dGhlIHNhbXBsZS Ub25jZQ==" }, expected: INVALID_KEY },
  { name: "two keys (Node joins them with a comma)", changes: { "sec-websocket-key": `${SAMPLE_WS_KEY}, ${SAMPLE_WS_KEY}` }, expected: INVALID_KEY },
  { name: "a key of 16 bytes of 0xff", changes: { "sec-websocket-key": Buffer.alloc(16, 0xff).toString("base64") }, expected: { ok: true, key: Buffer.alloc(16, 0xff).toString("base64"), protocol: undefined } },
  // The key is checked before the version.
  { name: "no key and no version", changes: { "sec-websocket-key": undefined, "sec-websocket-version": undefined }, expected: INVALID_KEY },
  // Sec-WebSocket-Version: 13 or 8 only.
  { name: "no version", changes: { "sec-websocket-version": undefined }, expected: INVALID_VERSION },
  { name: "version 7", changes: { "sec-websocket-version": "7" }, expected: INVALID_VERSION },
  { name: "version 14", changes: { "sec-websocket-version": "14" }, expected: INVALID_VERSION },
  { name: "version 12", changes: { "sec-websocket-version": "12" }, expected: INVALID_VERSION },
  { name: "an empty version", changes: { "sec-websocket-version": "" }, expected: INVALID_VERSION },
  { name: "version 'abc'", changes: { "sec-websocket-version": "abc" }, expected: INVALID_VERSION },
  { name: "versions '13, 8' in one header", changes: { "sec-websocket-version": "13, 8" }, expected: INVALID_VERSION },
  // The version is checked before the subprotocols.
  { name: "a bad version and a bad subprotocol list", changes: { "sec-websocket-version": "7", "sec-websocket-protocol": "a,,b" }, expected: INVALID_VERSION },
  // Sec-WebSocket-Protocol: distinct tokens separated by commas; the first is chosen.
  { name: "one subprotocol", changes: { "sec-websocket-protocol": "chat" }, expected: accepted("chat") },
  { name: "two subprotocols", changes: { "sec-websocket-protocol": "chat, superchat" }, expected: accepted("chat") },
  { name: "two subprotocols without a space", changes: { "sec-websocket-protocol": "superchat,chat" }, expected: accepted("superchat") },
  { name: "spaces and tabs around names", changes: { "sec-websocket-protocol": "chat \t,\t superchat" }, expected: accepted("chat") },
  { name: "every token character", changes: { "sec-websocket-protocol": "!#$%&'*+-.^_`|~09AZaz" }, expected: accepted("!#$%&'*+-.^_`|~09AZaz") },
  { name: "a dotted name", changes: { "sec-websocket-protocol": "v2.chat.example.com" }, expected: accepted("v2.chat.example.com") },
  { name: "a duplicated subprotocol", changes: { "sec-websocket-protocol": "chat, superchat, chat" }, expected: INVALID_PROTOCOL },
  { name: "names differing in case are distinct", changes: { "sec-websocket-protocol": "chat, Chat" }, expected: accepted("chat") },
  { name: "an empty entry in the middle", changes: { "sec-websocket-protocol": "chat,,superchat" }, expected: INVALID_PROTOCOL },
  { name: "a trailing comma", changes: { "sec-websocket-protocol": "chat," }, expected: INVALID_PROTOCOL },
  { name: "a leading comma", changes: { "sec-websocket-protocol": ",chat" }, expected: INVALID_PROTOCOL },
  { name: "an empty header", changes: { "sec-websocket-protocol": "" }, expected: INVALID_PROTOCOL },
  { name: "a comma only", changes: { "sec-websocket-protocol": "," }, expected: INVALID_PROTOCOL },
  { name: "a space inside a name", changes: { "sec-websocket-protocol": "my chat" }, expected: INVALID_PROTOCOL },
  ...["/", "(", ")", "<", ">", "@", ";", ":", "\\", '"', "[", "]", "?", "=", "{", "}", "é"].map((c) => ({
    name: `a separator or non-token character ${JSON.stringify(c)} in a name`,
    changes: { "sec-websocket-protocol": `chat${c}1` },
    expected: INVALID_PROTOCOL,
  })),
];

describe("ws handshake: checkUpgrade", () => {
  for (const row of ROWS) {
    it(row.name, () => {
      assert.deepEqual(checkUpgrade(request(withHeaders(row.changes ?? {}), row.method)), row.expected);
    });
  }

  it("ignores the Connection header, as ws does (Node's http server has already checked it)", () => {
    assert.deepEqual(checkUpgrade(request(withHeaders({ connection: undefined }))), accepted(undefined));
  });
});

describe("ws handshake: firstProtocol", () => {
  for (const [header, expected] of [
    ["a", "a"],
    ["a,b,c", "a"],
    ["  a  ,  b  ", "a"],
    ["a,b,a", undefined],
    ["a,", undefined],
    ["", undefined],
  ] as const) {
    it(`${JSON.stringify(header)} -> ${String(expected)}`, () => {
      assert.equal(firstProtocol(header), expected);
    });
  }
});

describe("ws handshake: accept value and responses", () => {
  it("acceptValue gives RFC 6455's sample answer", () => {
    assert.equal(acceptValue("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("acceptValue differs for another key", () => {
    assert.notEqual(acceptValue(Buffer.alloc(16, 1).toString("base64")), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("switchingProtocols: the 101 lines, without and with a subprotocol", () => {
    const base = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="];
    assert.deepEqual(switchingProtocols(SAMPLE_WS_KEY, undefined), base);
    assert.deepEqual(switchingProtocols(SAMPLE_WS_KEY, "chat"), [...base, "Sec-WebSocket-Protocol: chat"]);
  });

  it("refusal: status line, headers in ws's order, the message as the body", () => {
    const message = "Missing or invalid Sec-WebSocket-Version header";
    assert.equal(
      refusal(400, message, { "Sec-WebSocket-Version": "13, 8" }),
      "HTTP/1.1 400 Bad Request\r\n" +
        "Connection: close\r\n" +
        "Content-Type: text/html\r\n" +
        `Content-Length: ${message.length}\r\n` +
        "Sec-WebSocket-Version: 13, 8\r\n" +
        "\r\n" +
        message,
    );
  });

  it("refusal without a message: the status text is the body", () => {
    assert.equal(
      refusal(503),
      "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 19\r\n\r\nService Unavailable",
    );
    assert.match(refusal(405, "Invalid HTTP method"), /^HTTP\/1\.1 405 Method Not Allowed\r\n[\s\S]*Content-Length: 19\r\n\r\nInvalid HTTP method$/);
  });

  it("refusal counts the body's length in bytes, not characters", () => {
    assert.match(refusal(400, "é✓"), /Content-Length: 5\r\n\r\né✓$/);
  });

  it("refusal lets a given header replace a default one", () => {
    const text = refusal(400, "x", { Connection: "keep-alive" });
    assert.equal(text.match(/Connection:/g)?.length, 1);
    assert.match(text, /Connection: keep-alive/);
  });
});

// ws's own parser as the oracle: any header Node could deliver (trimmed of spaces and tabs).
const requireCjs = createRequire(import.meta.url);
const { parse: wsParse } = requireCjs(join(dirname(requireCjs.resolve("ws")), "lib", "subprotocol.js")) as { parse(header: string): Set<string> };

function wsFirst(header: string): string | undefined {
  try {
    return wsParse(header).values().next().value;
  } catch {
    return undefined;
  }
}

describe("ws handshake: subprotocol lists as ws parses them", () => {
  it("firstProtocol picks what ws picks, and refuses what ws refuses (fast-check)", () => {
    const pieces = fc.constantFrom("a", "b", "chat", "v1.x", "!", "~", ",", " ", "\t", ",", "/", "é", '"', "");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }), (parts) => {
        const header = parts.join("").replace(/^[ \t]+|[ \t]+$/g, "");
        assert.equal(firstProtocol(header), wsFirst(header), JSON.stringify(header));
      }),
      { numRuns: 3000 },
    );
  });
});
