// A TCP relay on 127.0.0.1 in front of another loopback port, which a test
// can cut: every relayed connection is dropped and new ones are refused
// until it listens again, as when the network path to a host goes down.
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpRelay {
  port: number;
  /** Drops every connection and refuses new ones for `ms`, then listens again. */
  cut(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(targetPort, "127.0.0.1");
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        server = next;
        const address = next.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      });
    });

  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (server === undefined) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  const port = await listen(0);
  return {
    port,
    cut: async (ms) => {
      await close();
      await new Promise((resolve) => setTimeout(resolve, ms));
      await listen(port);
    },
    stop: close,
  };
}
