import type { Transport } from "engine.io-client";
import { GuardedEngine } from "./engine.js";
import { fastEmit } from "./fast-emit.js";
import { tcpSocketOf } from "./tcp-socket.js";

/**
 * The Manager's engine in Node: a flush of k packets over a WebSocket leaves in one TCP write
 * instead of k (see tcp-socket.ts). The browser bundles take batched-engine.browser.ts, the
 * plain GuardedEngine, since a browser's WebSocket has no socket to batch on. Its events are
 * emitted without component-emitter's per-call garbage (fast-emit.ts; Node only, for size).
 */
export class BatchedEngine extends GuardedEngine {
  static {
    this.prototype.emitReserved = fastEmit as BatchedEngine["emitReserved"];
  }

  protected override setTransport(transport: Transport): void {
    // The transport's events (packet, drain, ...) go to this engine one by one: the same emit.
    (transport as unknown as { emitReserved: typeof fastEmit }).emitReserved = fastEmit;
    super.setTransport(transport);
  }

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
