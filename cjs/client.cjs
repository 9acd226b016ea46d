"use strict";
// CommonJS entry: `require("rtio")` is `io` itself, with Manager, Socket, io, connect and
// protocol as properties (socket.io-client's CommonJS shape). The ES module is loaded through
// require(esm) (Node >= 20.19), so CJS and ESM users share one copy of the code and one
// Manager cache.
const client = require("../dist/lib/client/index.js");
module.exports = client.io;
