export * from "../dist/lib/parser/index.js";
