import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running sample upstream. */
export interface SampleUpstream {
  url: string;
  /** TCP connections accepted so far (keep-alive reuse shows as few connections for many requests). */
  readonly connections: number;
  readonly requests: number;
  close(): Promise<void>;
}

/** Options for the sample upstream. */
export interface SampleUpstreamOptions {
  /** Sent back as `X-Upstream-Name`, to tell targets apart. */
  name?: string;
  port?: number;
}

const ORDERS = [
  { id: '1', item: 'book', qty: 1 },
  { id: '2', item: 'pen', qty: 3 },
];

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A request's whole body. */
export function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** A chunked stream of `count` lines, one every `ms` (no Content-Length): what server-sent events look like on the wire. */
function events(res: ServerResponse, count: number, ms: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let sent = 0;
  const timer = setInterval(() => {
    res.write(`data: event ${sent}\n\n`);
    if (++sent === count) {
      clearInterval(timer);
      res.end();
    }
  }, ms);
  res.on('close', () => clearInterval(timer));
}

/** Streams `total` bytes in 64 KiB chunks, waiting for drain, so neither side buffers the whole body. */
function download(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(65_536, 0x61);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/** Counts an upload's bytes as they arrive, keeping none of them. */
function upload(req: IncomingMessage, res: ServerResponse): void {
  let bytes = 0;
  req.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  req.on('end', () => json(res, 200, { bytes }));
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://upstream');
  const path = url.pathname.replace(/^\/api/, '');
  const method = req.method ?? 'GET';
  if (path === '/orders' && method === 'GET') return json(res, 200, ORDERS);
  if (path === '/orders' && method === 'POST') {
    const body = await readAll(req);
    res.writeHead(201, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' });
    res.end(body);
    return;
  }
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order && (method === 'GET' || method === 'HEAD')) {
    const found = ORDERS.find((o) => o.id === order[1]);
    return found ? json(res, 200, found) : json(res, 404, { message: 'no such order' });
  }
  if (order && method === 'DELETE') {
    res.writeHead(204);
    res.end();
    return;
  }
  if (path === '/echo-headers') {
    await readAll(req);
    return json(res, 200, { method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders });
  }
  if (path === '/slow') {
    const ms = Number(url.searchParams.get('ms') ?? '1000');
    const timer = setTimeout(() => json(res, 200, { waited: ms }), ms);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  if (path === '/download') return download(res, Number(url.searchParams.get('bytes') ?? '1024'));
  if (path === '/events') return events(res, Number(url.searchParams.get('count') ?? '3'), Number(url.searchParams.get('ms') ?? '50'));
  if (path === '/upload' && (method === 'POST' || method === 'PUT')) return upload(req, res);
  if (path === '/broken') {
    // Promises 1,000 bytes, sends 100, then drops the connection.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 1000 });
    res.write(Buffer.alloc(100, 0x61), () => res.destroy());
    return;
  }
  if (path === '/stall') {
    // Promises 1,000 bytes, sends 100, then nothing more until the caller leaves.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 1000 });
    res.write(Buffer.alloc(100, 0x61));
    return;
  }
  // Answers at once, without reading the upload (as a server refusing a too-large body does).
  if (path === '/refuse-upload') return json(res, 413, { message: 'too large' });
  json(res, 404, { message: 'not found' });
}

/** Starts the sample "orders API" on 127.0.0.1 (an ephemeral port unless given). */
export async function start(opts: SampleUpstreamOptions = {}): Promise<SampleUpstream> {
  let connections = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (opts.name) res.setHeader('x-upstream-name', opts.name);
    route(req, res).catch(() => res.destroy());
  });
  server.on('connection', () => connections++);
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
