"use strict";
// CommonJS entry: the ES module itself, loaded through require(esm) (Node >= 20.19), so CJS
// and ESM users share one copy of the code.
const parser = require("../dist/lib/parser/index.js");
module.exports = { ...parser };
