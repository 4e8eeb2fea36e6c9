import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamSessionBinding, UpstreamSessionStore, UpstreamTarget } from '../../core/index.js';
import { UpstreamPool } from './upstream-pool.js';

/**
 * An upstream that "restarts" into another generation: its sessions gone, answering the old ones the
 * way real servers do (400 "No valid session ID provided", or a 400 refusing the protocol version, or
 * 404), and speaking another revision with other capabilities and tools. Every next call must succeed.
 */

let generation = 1;
let goneAnswer: (res: ServerResponse) => void;
const sessions = new Set<string>();
let opened = 0;
let server: Server;
let url: string;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const ANSWERS: Record<string, (res: ServerResponse) => void> = {
  'a 400 naming the session': (res) =>
    json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: No valid session ID provided' } }),
  'a 400 refusing the protocol version': (res) =>
    json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: Unsupported protocol version' } }),
  'a 404': (res) => json(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }),
  'a plain-text 400': (res) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('Session not found');
  },
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const body = JSON.parse(Buffer.concat(parts).toString()) as { id?: unknown; method?: string };
    const revision = generation === 1 ? '2025-06-18' : '2025-11-25';
    if (body.method === 'initialize') {
      const id = `g${generation}-s${++opened}`;
      sessions.add(id);
      const capabilities = generation === 1 ? { tools: {} } : { tools: { listChanged: true }, logging: {} };
      return json(
        res,
        200,
        { jsonrpc: '2.0', id: body.id, result: { protocolVersion: revision, capabilities, serverInfo: { name: 'gen', version: String(generation) } } },
        { 'mcp-session-id': id },
      );
    }
    const session = req.headers['mcp-session-id'] as string | undefined;
    if (session === undefined || !sessions.has(session) || req.headers['mcp-protocol-version'] !== revision) return goneAnswer(res);
    if (body.method === 'notifications/initialized') return void res.writeHead(202).end();
    if (body.method === 'tools/list') {
      const tools = [{ name: 'echo', inputSchema: { type: 'object' } }, ...(generation === 2 ? [{ name: 'extra', inputSchema: { type: 'object' } }] : [])];
      return json(res, 200, { jsonrpc: '2.0', id: body.id, result: { tools } });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      `id: p\ndata: \n\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { content: [{ type: 'text', text: `gen ${generation}` }] } })}\n\n`,
    );
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
  await Promise.all(pools.splice(0).map((p) => p.close()));
  generation = 1;
  sessions.clear();
});

/** A store of one cluster's session records, in memory, recording what was forgotten. */
function memoryStore() {
  const records = new Map<string, UpstreamSessionBinding>();
  const forgotten: string[] = [];
  const store: UpstreamSessionStore = {
    get: async (key) => records.get(key) ?? null,
    putOnce: async (at, binding) => {
      if (!records.has(at.key)) records.set(at.key, binding);
      return records.get(at.key)!;
    },
    forget: async (key, sessionId) => {
      if (records.get(key)?.sessionId === sessionId) {
        records.delete(key);
        forgotten.push(sessionId);
      }
    },
  };
  return { store, records, forgotten };
}

const target = (extra: Partial<UpstreamTarget> = {}): UpstreamTarget => ({
  id: 'gen',
  version: 1,
  name: 'gen',
  url,
  timeoutMs: 5_000,
  maxResultChars: 10_000,
  headers: {},
  definitionsTtlMs: 60_000,
  allowPrivateNetwork: true,
  ...extra,
});
const text = (r: { content: unknown }) => (r.content as { text: string }[])[0]!.text;

describe.each(Object.keys(ANSWERS))('an upstream restarted into another revision, answering old sessions with %s', (answer) => {
  it('answers the next call (lean and listed), re-reads the definitions, and its caller session is recorded anew', async () => {
    goneAnswer = ANSWERS[answer]!;
    const { store, records, forgotten } = memoryStore();
    const pool = new UpstreamPool({ sessions: store });
    pools.push(pool);
    const caller = target({ sessionScope: 'user:ann' });
    expect([...(await pool.listTools(target())).byName.keys()]).toEqual(['echo']);
    expect(text(await pool.callTool(caller, 'echo', {}))).toBe('gen 1');
    const before = [...records.values()][0]!.sessionId;
    generation = 2;
    sessions.clear();
    expect(text(await pool.callTool(caller, 'echo', {}))).toBe('gen 2');
    expect(forgotten).toEqual([before]);
    expect([...records.values()][0]!.sessionId).toMatch(/^g2-/);
    // The node's own session heals too, and, the upstream's capabilities having changed, lists afresh.
    expect([...(await pool.listTools(target())).byName.keys()]).toEqual(['echo', 'extra']);
    expect(pool.health()).toEqual([
      expect.objectContaining({ serverId: 'gen', lastReinitializedAt: expect.any(String), toolsCount: 2, restarts: null, session: 'open', lastError: null }),
    ]);
  });
});
