import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `/healthz`: the process answers. `/readyz`: it has started and is not shutting down, so it serves traffic — also while
 * its store is down (it runs on its last configuration then, and the body says so), since taking
 * every node out of rotation during a database outage would stop the traffic the snapshot can serve.
 * The store's state is what a background probe last saw, so neither answer ever waits on the store.
 */
export function createHealth(state: () => 'starting' | 'started' | 'stopping', storeAvailable: () => boolean) {
  return (_req: IncomingMessage, res: ServerResponse, path: string): void => {
    const send = (status: number, body: object) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (path === '/healthz') {
      send(200, { status: 'ok' });
      return;
    }
    const now = state();
    if (now !== 'started') {
      send(503, { status: now });
      return;
    }
    send(200, { status: 'ready', store: storeAvailable() ? 'ok' : 'unavailable' });
  };
}
