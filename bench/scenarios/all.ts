/** Every scenario, in the order a full run executes them. */
import { ackEcho } from "./ack-echo.js";
import { binaryFanout } from "./binary-fanout.js";
import { connectStorm } from "./connect-storm.js";
import { fanout } from "./fanout.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: Scenario[] = [fanout, binaryFanout, ackEcho, connectStorm];
