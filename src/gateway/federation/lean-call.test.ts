import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError, type UpstreamTarget } from '../../core/index.js';
import { UpstreamPool } from './upstream-pool.js';

/** How the raw upstream answers a tools/call (after a real 2025-11-25 handshake with a session). */
type Answer = (id: unknown, res: ServerResponse, req: IncomingMessage) => void;

let answer: Answer;
let sessions = 0;
let forgotten = new Set<string>();
const calls: { session: string | undefined; version: string | undefined; body: Record<string, unknown> }[] = [];
let server: Server;
let url: string;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const sse = (res: ServerResponse, messages: unknown[]) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const m of messages) res.write(`event: message\r\ndata: ${JSON.stringify(m)}\r\n\r\n`);
  res.end();
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(parts).toString()) as Record<string, unknown>;
    const session = req.headers['mcp-session-id'] as string | undefined;
    if (body.method === 'initialize') {
      const id = `s${++sessions}`;
      return json(
        res,
        200,
        {
          jsonrpc: '2.0',
          id: body.id,
          result: { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'raw', version: '1' } },
        },
        { 'mcp-session-id': id },
      );
    }
    if (body.method === 'notifications/initialized') return void res.writeHead(202).end();
    if (session === undefined || forgotten.has(session))
      return json(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
    if (body.method === 'tools/list') {
      const typed = {
        name: 'typed',
        inputSchema: { type: 'object' },
        outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
      };
      return json(res, 200, { jsonrpc: '2.0', id: body.id, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }, typed] } });
    }
    calls.push({ session, version: req.headers['mcp-protocol-version'] as string | undefined, body });
    answer(body.id, res, req);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const pools: UpstreamPool[] = [];
afterEach(async () => {
  calls.length = 0;
  forgotten = new Set();
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** A pool with the upstream's definitions fetched, as a virtual server's call has them (it checks the pins first). */
async function setup(extra: Partial<UpstreamTarget> = {}) {
  const pool = new UpstreamPool();
  pools.push(pool);
  const target: UpstreamTarget = {
    id: 'raw',
    version: 1,
    name: 'raw',
    url,
    timeoutMs: 5_000,
    maxResultChars: 10_000,
    // The test upstream is on loopback.
    allowPrivateNetwork: true,
    headers: { 'x-api-key': 'sekret-value-1' },
    definitionsTtlMs: 60_000,
    ...extra,
  };
  await pool.listTools(target);
  return { pool, target };
}

async function failure(p: Promise<unknown>): Promise<GatehouseError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatehouseError);
  return err as GatehouseError;
}

describe('a tools/call on a 2025-era upstream session (the lean path)', () => {
  it('sends the JSON-RPC request on the session with its revision, and reads a JSON answer, secrets cut', async () => {
    answer = (id, res) =>
      json(res, 200, { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'echo sekret-value-1' }], structuredContent: { ok: true } } });
    const { pool, target } = await setup();
    const result = await pool.callTool(target, 'echo', { text: 'hi' }, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(result).toEqual({ content: [{ type: 'text', text: 'echo [redacted]' }], structuredContent: { ok: true } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      session: 's1',
      version: '2025-11-25',
      body: { jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: { traceparent: expect.any(String) } } },
    });
  });

  it('reads an event-stream answer, passing on a tools-changed notification sent before it', async () => {
    answer = (id, res) =>
      sse(res, [
        { jsonrpc: '2.0', method: 'notifications/tools/list_changed' },
        { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'streamed' }] } },
      ]);
    const { pool, target } = await setup();
    const before = await pool.listTools(target);
    expect(await pool.callTool(target, 'echo', {})).toEqual({ content: [{ type: 'text', text: 'streamed' }] });
    // The cached definitions were dropped: the next list is fetched again (a new object).
    expect(await pool.listTools(target)).not.toBe(before);
  });

  it('turns a JSON-RPC error, an invalid result, invalid JSON and a stream that ends early into GATEHOUSE_MCP_UPSTREAM_ERROR, secrets cut', async () => {
    const { pool, target } = await setup();
    answer = (id, res) => json(res, 200, { jsonrpc: '2.0', id, error: { code: -32602, message: 'bad key sekret-value-1' } });
    const rpc = await failure(pool.callTool(target, 'echo', {}));
    expect(rpc.code).toBe('GATEHOUSE_MCP_UPSTREAM_ERROR');
    expect(rpc.message).toContain('-32602');
    expect(rpc.message).not.toContain('sekret-value-1');
    answer = (id, res) => json(res, 200, { jsonrpc: '2.0', id, result: { content: 'not a list' } });
    expect((await failure(pool.callTool(target, 'echo', {}))).code).toBe('GATEHOUSE_MCP_UPSTREAM_ERROR');
    answer = (_id, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jsonrpc":');
    };
    expect((await failure(pool.callTool(target, 'echo', {}))).code).toBe('GATEHOUSE_MCP_UPSTREAM_ERROR');
    answer = (_id, res) => sse(res, [{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } }]);
    expect((await failure(pool.callTool(target, 'echo', {}))).code).toBe('GATEHOUSE_MCP_UPSTREAM_ERROR');
  });

  it('starts a new session and sends the call again when the upstream forgot the session', async () => {
    answer = (id, res) => json(res, 200, { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'ok' }] } });
    const { pool, target } = await setup();
    await pool.callTool(target, 'echo', {});
    const first = calls[0]?.session as string;
    forgotten.add(first);
    expect(await pool.callTool(target, 'echo', {})).toEqual({ content: [{ type: 'text', text: 'ok' }] });
    expect(calls.at(-1)?.session).not.toBe(first);
  });

  it('gets a new token and sends once more when the upstream refuses the cached one', async () => {
    let token = 'token-old-1234';
    let refusals = 0;
    answer = (id, res, req) => {
      if (req.headers.authorization !== 'Bearer token-new-5678') return json(res, 401, { error: 'invalid_token' });
      json(res, 200, { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'as token-new-5678' }] } });
    };
    const { pool, target } = await setup({
      dynamicHeaders: async () => ({
        headers: { authorization: `Bearer ${token}` },
        refused: () => {
          refusals++;
          token = 'token-new-5678';
        },
      }),
    });
    expect(await pool.callTool(target, 'echo', {})).toEqual({ content: [{ type: 'text', text: 'as [redacted]' }] });
    expect(refusals).toBe(1);
  });

  it('times out within the target’s timeout when the upstream does not answer', async () => {
    answer = () => undefined;
    const { pool, target } = await setup({ timeoutMs: 300 });
    expect((await failure(pool.callTool(target, 'echo', {}))).code).toBe('GATEHOUSE_UPSTREAM_TIMEOUT');
  });

  it('leaves a tool with an output schema to the SDK client, which checks the structured content against it', async () => {
    answer = (id, res) => json(res, 200, { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'no structure' }] } });
    const { pool, target } = await setup();
    const err = await failure(pool.callTool(target, 'typed', {}));
    expect(err.code).toBe('GATEHOUSE_MCP_UPSTREAM_ERROR');
    expect(err.message).toContain('structured content');
    answer = (id, res) => json(res, 200, { jsonrpc: '2.0', id, result: { content: [], structuredContent: { n: 1 } } });
    expect(await pool.callTool(target, 'typed', {})).toMatchObject({ structuredContent: { n: 1 } });
  });

  it('calls a caller’s own (scoped) session lean too, with the definitions the shared session fetched', async () => {
    answer = (id, res) => json(res, 200, { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'scoped' }] } });
    const { pool, target } = await setup();
    expect(await pool.callTool({ ...target, sessionScope: 'user:u1' }, 'echo', {})).toEqual({ content: [{ type: 'text', text: 'scoped' }] });
    // The SDK client numbers its requests; the lean call's ids are its own strings.
    expect(calls[0]?.body.id).toMatch(/^g\d+$/);
  });
});
