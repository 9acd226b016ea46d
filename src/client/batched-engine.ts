import { GuardedEngine } from "./engine.js";
import { tcpSocketOf } from "./tcp-socket.js";

/**
 * The Manager's engine in Node: a flush of k packets over a WebSocket leaves in one TCP write
 * instead of k (see tcp-socket.ts). The browser bundles take batched-engine.browser.ts, the
 * plain GuardedEngine, since a browser's WebSocket has no socket to batch on.
 */
export class BatchedEngine extends GuardedEngine {
  protected override flush(): void {
    const socket = tcpSocketOf(this.transport);
    if (!socket) return super.flush();
    socket.cork();
    try {
      super.flush();
    } finally {
      socket.uncork();
    }
  }
}
