// Entry of the classic bundles: the global `io`, carrying Manager, Socket, protocol, io and connect.
import { io } from "./index.js";

export default io;
