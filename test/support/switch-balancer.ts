import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP load balancer in front of several nodes, sending each request to the node a test picks. */
export interface SwitchBalancer {
  url: string;
  /** Where requests go from now on (host:port of a node). */
  route(to: { host: string; port: number }): void;
  close(): Promise<void>;
}

/** Starts the balancer; until `route` is called, requests get 503. Each request is forwarded on its own connection, so the next one can land elsewhere. */
export async function startSwitchBalancer(): Promise<SwitchBalancer> {
  let target: { host: string; port: number } | null = null;
  const server: Server = createServer((req, res) => {
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const out = request({ host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    route(to) {
      target = to;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
