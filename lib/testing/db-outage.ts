// A database outage for integration tests, without touching the shared PostgreSQL server: the app
// connects through this TCP relay, and `down()` refuses new connections (ECONNREFUSED) and cuts the
// open ones (the app sees them die mid-query), as when the server stops or the network fails, until
// `up()`. The fault suite (e2e/faults) stops and kills a private server for real.
import net from "node:net";

export type Relay = { url: string; down: () => Promise<void>; up: () => Promise<void>; close: () => Promise<void> };

/** A relay on `port` (3500–3599 are ours) to the database of `url`; `url` of the result goes through it. */
export async function databaseRelay(url: string, port: number): Promise<Relay> {
  const target = new URL(url);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  const stop = () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    return closed;
  };
  await listen();
  const relayed = new URL(url);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(port);
  return {
    url: relayed.toString(),
    down: stop,
    up: listen,
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
