// The CommonJS types: `require("rtio")` is `io`, and its properties are typed.
import io = require("../../cjs/client.cjs");

const socket: io.Socket = io("http://localhost:3000", { reconnectionDelay: 100 });
const manager: io.Manager = new io.Manager("http://localhost:3000");
const same: typeof io = io.connect === io.io ? io : io;
const version: number = io.protocol;
socket.emit("x", 1);
void [manager, same, version];
