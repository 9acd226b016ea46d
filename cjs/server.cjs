"use strict";
// CommonJS entry of rtio/server: the ES module itself, loaded through require(esm)
// (Node >= 20.19), shaped as socket.io's: the export is a function that creates a Server,
// with the classes as its properties, so `require("rtio/server")(httpServer, opts)` and
// `const { Server } = require("rtio/server")` both work.
const server = require("../dist/lib/server/index.js");

function rtio(srv, opts) {
  return new server.Server(srv, opts);
}

for (const key of Object.keys(server)) {
  if (key !== "default") rtio[key] = server[key];
}

module.exports = rtio;
