/** The contract between the driver and a scenario. */
import type { ScenarioResult } from "../lib/result.js";

export interface Context {
  quick: boolean;
  rounds: number;
  log: (line: string) => void;
}

/**
 * The rows of a server scenario. The bare engine.io floor is left out of `--quick` runs, which
 * are for checking that everything works, not for the record.
 */
export function serverRows(ctx: Context): Array<"rtio" | "socket.io" | "engine.io"> {
  return ctx.quick ? ["rtio", "socket.io"] : ["rtio", "socket.io", "engine.io"];
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: Context): Promise<ScenarioResult>;
}
