import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/**
 * The gateway's front door: every surface identifies callers through one function with one key
 * cache, `execute_call`'s timeout cancels the upstream request itself, and every refusal carries
 * the request id.
 */

let t: TestGatehouse;
let upstream: Server;
let upstreamUrl: string;
let idp: Server;
let idpUrl: string;
let jwksHits = 0;
let signingKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
/** What the slow upstream saw: when each /slow request arrived and whether its caller went away before an answer. */
const slowCalls: Array<{ arrived: number; aborted: number | null }> = [];
const pending: ServerResponse[] = [];
const ids: Record<string, string> = {};
let token = '';
const AUDIENCE = 'front-door-api';

const DOC = {
  openapi: '3.1.0',
  info: { title: 'Front door', version: '1' },
  paths: {
    '/slow': { get: { operationId: 'slow', summary: 'Answers only when released', responses: { '200': { description: 'ok' } } } },
    '/fast': { get: { operationId: 'fast', summary: 'Answers at once', responses: { '200': { description: 'ok' } } } },
  },
};

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function jwt(): Promise<string> {
  return new SignJWT({ sub: 'partner-app' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(`${idpUrl}/issuer`)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(signingKey);
}

async function mcpClient(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'front-door-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), { requestInit: { headers } }));
  return client;
}

beforeAll(async () => {
  upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/slow') {
      const seen = { arrived: Date.now(), aborted: null as number | null };
      slowCalls.push(seen);
      res.on('close', () => {
        if (!res.writableEnded) seen.aborted = Date.now();
      });
      pending.push(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] as JWK[] };
  idp = createServer((req, res) => {
    if (req.url === '/jwks.json') jwksHits++;
    res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/jwks.json' ? JSON.stringify(jwks) : '{}');
  });
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  idpUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

  t = await startTestGatehouse('sqlite', { mcp: { requestTimeoutMs: 400 } });
  const col = await admin('POST', '/collections', { slug: 'front-door', name: 'Front door', published: true });
  await admin('POST', `/collections/${col.id}/import-openapi`, { document: DOC, basePath: '/front/v1', upstreams: [upstreamUrl] });
  const client = await admin('POST', '/clients', { name: 'Front door partner', collectionIds: [col.id] });
  const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'token', authType: 'token' });
  token = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
  const jwtProfile = await admin('POST', '/profiles', {
    clientId: client.id,
    name: 'jwt',
    authType: 'jwt',
    jwt: { issuer: `${idpUrl}/issuer`, jwksUrl: `${idpUrl}/jwks.json`, audience: AUDIENCE, algorithms: ['ES256'] },
  });
  Object.assign(ids, { collection: col.id, client: client.id, profile: profile.id, jwtProfile: jwtProfile.id });
});

afterAll(async () => {
  for (const res of pending) if (!res.writableEnded) res.destroy();
  await t?.close();
  upstream?.close();
  idp?.close();
});

describe('the gateway front door', () => {
  it("cancels the upstream request when execute_call's timeout passes, and logs the call as timed out", async () => {
    const client = await mcpClient({ authorization: `Bearer ${token}` });
    try {
      // Nothing hangs: the gateway's own timeout answers before this explicit abort would end the call.
      const res = (await client.callTool(
        { name: 'execute_call', arguments: { endpoint: 'GET /front/v1/slow' } },
        { signal: AbortSignal.timeout(30_000) },
      )) as any;
      expect(res.isError).toBe(true);
      expect(res.structuredContent.error).toMatchObject({ code: 'GATEHOUSE_UPSTREAM_TIMEOUT', status: 504 });
      expect(res.structuredContent.error.message).toContain('400 ms');
      // The upstream sees its request go away: the call is cancelled, not abandoned.
      for (let i = 0; i < 50 && slowCalls.at(-1)?.aborted == null; i++) await new Promise((r) => setTimeout(r, 20));
      const seen = slowCalls.at(-1)!;
      expect(seen.aborted).not.toBeNull();
      expect(seen.aborted! - seen.arrived).toBeGreaterThanOrEqual(300);

      let entry: any;
      for (let i = 0; i < 50 && !entry; i++) {
        entry = (await admin('GET', '/request-logs?path=/front/v1/slow&limit=10')).items.find(
          (r: any) => r.requestId === res.structuredContent.error.requestId,
        );
        if (!entry) await new Promise((r) => setTimeout(r, 100));
      }
      expect(entry).toMatchObject({ channel: 'mcp', status: 504, errorCode: 'GATEHOUSE_UPSTREAM_TIMEOUT', mcpTool: 'execute_call' });

      // The connection pool is not left with a hung request: the next call goes straight through.
      const fast = (await client.callTool({ name: 'execute_call', arguments: { endpoint: 'GET /front/v1/fast' } })) as any;
      expect(fast.isError).toBeFalsy();
      expect(fast.structuredContent).toMatchObject({ status: 200, body: { ok: true } });
    } finally {
      await client.close();
    }
  });

  it('verifies JWTs for REST and /mcp with one key cache (the JWKS is fetched once)', async () => {
    const before = jwksHits;
    const rest = await fetch(`${t.gh.urls.proxy}/front/v1/fast`, { headers: { authorization: `Bearer ${await jwt()}` } });
    expect(rest.status).toBe(200);
    const client = await mcpClient({ authorization: `Bearer ${await jwt()}`, 'x-profile-id': ids.jwtProfile! });
    try {
      const listed = (await client.callTool({ name: 'list_collections', arguments: {} })) as any;
      expect(listed.structuredContent.collections.map((c: any) => c.slug)).toEqual(['front-door']);
    } finally {
      await client.close();
    }
    expect(jwksHits - before).toBe(1);
  });

  it('refuses a suspended client and an address outside the allowlist the same way on REST and /mcp', async () => {
    const client = await admin('POST', '/clients', { name: 'Soon suspended', collectionIds: [ids.collection] });
    const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
    const fenced = await admin('POST', '/profiles', { clientId: client.id, name: 'fenced', authType: 'token', ipAllowlist: ['10.0.0.0/8'] });
    const open = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
    const outside = (await admin('POST', `/profiles/${fenced.id}/credentials`, {})).token;
    const mcpCode = async (bearer: string) => {
      const res = await fetch(`${t.gh.urls.proxy}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      return [res.status, ((await res.json()) as any).error?.code];
    };
    const restCode = async (bearer: string) => {
      const res = await fetch(`${t.gh.urls.proxy}/front/v1/fast`, { headers: { authorization: `Bearer ${bearer}` } });
      return [res.status, ((await res.json()) as any).error?.code];
    };
    expect(await restCode(outside)).toEqual([403, 'GATEHOUSE_IP_DENIED']);
    expect(await mcpCode(outside)).toEqual([403, 'GATEHOUSE_IP_DENIED']);
    await admin('PATCH', `/clients/${client.id}`, { status: 'suspended' });
    expect(await restCode(open)).toEqual([403, 'GATEHOUSE_CLIENT_SUSPENDED']);
    expect(await mcpCode(open)).toEqual([403, 'GATEHOUSE_CLIENT_SUSPENDED']);
  });

  it('puts the request id in every refusal of the Management MCP, echoing a sane X-Request-Id', async () => {
    const url = `${t.gh.urls.admin}/management/mcp`;
    const init = (headers: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    const missing = await fetch(url, init({ 'x-request-id': 'trace-123' }));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('x-request-id')).toBe('trace-123');
    expect(((await missing.json()) as any).error).toMatchObject({ code: 'GATEHOUSE_UNAUTHENTICATED', requestId: 'trace-123' });

    const bad = await fetch(url, init({ authorization: 'Bearer not-a-token', 'x-request-id': 'bad id with spaces' }));
    expect(bad.status).toBe(401);
    const body = (await bad.json()) as any;
    expect(body.error.code).toBe('GATEHOUSE_INVALID_TOKEN');
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.headers.get('x-request-id')).toBe(body.error.requestId);

    const origin = await fetch(url, init({ origin: 'https://evil.example', authorization: 'Bearer x' }));
    expect(origin.status).toBe(403);
    expect(((await origin.json()) as any).error.requestId).toEqual(expect.any(String));
  });
});
