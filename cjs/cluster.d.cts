export * from "../dist/lib/cluster/index.js";
