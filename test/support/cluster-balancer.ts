// A TCP load balancer for the cluster tests, as a real deployment puts in front of its nodes:
// each new connection goes to the port `pick()` returns; when either side closes, so does the
// other, so a client whose node died sees its transport close and reconnects through here.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface Balancer {
  port: number;
  url: string;
  /** Where new connections go from now on. */
  pick: () => number;
  /** New connections wait (accepted, not forwarded) until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

export async function startBalancer(pick: () => number): Promise<Balancer> {
  const open = new Set<Socket>();
  const track = (s: Socket) => {
    open.add(s);
    s.once("close", () => open.delete(s));
  };
  let held: Array<() => void> | undefined;
  const balancer: Balancer = {
    port: 0,
    url: "",
    pick,
    hold() {
      const waiting: Array<() => void> = (held = []);
      return () => {
        held = undefined;
        for (const go of waiting) go();
      };
    },
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((front) => {
    if (held) {
      front.pause();
      held.push(() => forward(front));
    } else forward(front);
  });
  const forward = (front: Socket) => {
    const back = connect(balancer.pick(), "127.0.0.1");
    track(front);
    track(back);
    front.pipe(back);
    back.pipe(front);
    const drop = () => {
      front.destroy();
      back.destroy();
    };
    front.once("close", drop);
    back.once("close", drop);
    front.on("error", drop);
    back.on("error", drop);
    front.resume();
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  balancer.port = (server.address() as AddressInfo).port;
  balancer.url = `http://127.0.0.1:${balancer.port}`;
  balancer.close = () =>
    new Promise((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    });
  return balancer;
}
