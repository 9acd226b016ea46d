/** Every scenario, in the order a full run executes them. */
import { ackEcho } from "./ack-echo.js";
import { bundle } from "./bundle.js";
import { cluster } from "./cluster.js";
import { codec } from "./codec.js";
import { binaryFanout } from "./binary-fanout.js";
import { connectStorm } from "./connect-storm.js";
import { fanout } from "./fanout.js";
import { slowConsumer } from "./slow-consumer.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: Scenario[] = [bundle, codec, fanout, binaryFanout, ackEcho, connectStorm, cluster, slowConsumer];
