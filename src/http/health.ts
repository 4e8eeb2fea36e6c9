import type { IncomingMessage, ServerResponse } from 'node:http';

/** `/healthz`: the process answers. `/readyz`: it has started and its store answers. */
export function createHealth(isReady: () => Promise<boolean>) {
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
    isReady().then(
      (ready) => send(ready ? 200 : 503, { status: ready ? 'ready' : 'starting' }),
      () => send(503, { status: 'unavailable' }),
    );
  };
}
