"use strict";
// CommonJS entry for browser bundlers (the "browser" condition): `require("rtio")` is `io`, as
// in client.cjs, from the browser build (dist/browser: no logging), as `import` gets it.
module.exports = require("../dist/browser/index.js").io;
