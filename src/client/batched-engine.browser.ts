// Browser twin of batched-engine.ts (rollup.config.js swaps it in): nothing to batch on.
export { GuardedEngine as BatchedEngine } from "./engine.js";
