"use strict";
// CommonJS entry of rtio/cluster: the ES module, loaded through require(esm) (Node >= 20.19).
const cluster = require("../dist/lib/cluster/index.js");
module.exports = { ...cluster };
