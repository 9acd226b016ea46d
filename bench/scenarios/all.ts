/** Every scenario, in the order a full run executes them. */
import { ackEcho } from "./ack-echo.js";
import { codec } from "./codec.js";
import { binaryFanout } from "./binary-fanout.js";
import { connectStorm } from "./connect-storm.js";
import { fanout } from "./fanout.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: Scenario[] = [codec, fanout, binaryFanout, ackEcho, connectStorm];
