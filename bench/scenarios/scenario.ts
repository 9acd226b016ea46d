/** The contract between the driver and a scenario. */
import type { ScenarioResult } from "../lib/result.js";

export interface Context {
  quick: boolean;
  rounds: number;
  log: (line: string) => void;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: Context): Promise<ScenarioResult>;
}
