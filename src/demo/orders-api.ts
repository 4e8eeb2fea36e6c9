import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The sample upstream's contract: what `--demo` serves and what the gateway's catalog is built from. */
export const ORDERS_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Demo Orders API', version: '1.0.0', description: 'A small sample upstream that ships with Gatehouse.' },
  paths: {
    '/orders': {
      get: {
        operationId: 'listOrders',
        summary: 'List orders',
        parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['open', 'shipped'] } }],
        responses: {
          '200': { description: 'Orders', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } } },
        },
      },
      post: {
        operationId: 'createOrder',
        summary: 'Create an order',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewOrder' } } } },
        responses: { '201': { description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } },
      },
    },
    '/orders/{id}': {
      get: {
        operationId: 'getOrder',
        summary: 'Get one order',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          '404': { description: 'No such order' },
        },
      },
    },
  },
  components: {
    schemas: {
      NewOrder: {
        type: 'object',
        required: ['item', 'quantity'],
        properties: { item: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
      },
      Order: {
        type: 'object',
        required: ['id', 'item', 'quantity', 'status'],
        properties: {
          id: { type: 'string' },
          item: { type: 'string' },
          quantity: { type: 'integer' },
          status: { type: 'string', enum: ['open', 'shipped'] },
        },
      },
    },
  },
} as const;

interface Order {
  id: string;
  item: string;
  quantity: number;
  status: 'open' | 'shipped';
}

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    parts.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

/** Starts the demo orders API on loopback; orders live in memory. */
export async function startOrdersApi(port = 0): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const orders: Order[] = [
    { id: '1001', item: 'Coffee beans', quantity: 2, status: 'shipped' },
    { id: '1002', item: 'Grinder', quantity: 1, status: 'open' },
  ];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://orders');
    const one = /^\/orders\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/openapi.json' && req.method === 'GET') return send(res, 200, ORDERS_OPENAPI);
    if (url.pathname === '/orders' && req.method === 'GET') {
      const status = url.searchParams.get('status');
      return send(res, 200, status ? orders.filter((o) => o.status === status) : orders);
    }
    if (url.pathname === '/orders' && req.method === 'POST') {
      readJson(req).then(
        (body) => {
          const b = body as { item?: unknown; quantity?: unknown };
          if (typeof b?.item !== 'string' || !Number.isInteger(b.quantity) || (b.quantity as number) < 1) {
            return send(res, 400, { message: 'item (string) and quantity (integer ≥ 1) are required' });
          }
          const order: Order = { id: randomUUID().slice(0, 8), item: b.item, quantity: b.quantity as number, status: 'open' };
          if (orders.length < 1000) orders.push(order);
          send(res, 201, order);
        },
        () => send(res, 400, { message: 'send a JSON body of at most 64 KiB' }),
      );
      return;
    }
    if (one && req.method === 'GET') {
      const order = orders.find((o) => o.id === one[1]);
      return order ? send(res, 200, order) : send(res, 404, { message: 'no such order' });
    }
    send(res, 404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
