import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthUpstream, startAuthUpstream } from '../support/auth-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** oauth2_client_credentials against a real oidc-provider token endpoint and an upstream that verifies its JWTs. */

const CLIENT_SECRET = 'oauth2-Client-Secret-value-1';
let t: TestGatehouse;
let idp: { issuer: string; tokenRequests: number; server: Server };
let upstream: AuthUpstream;
let deadTokenUrl: string;
let caller = '';
const refused = new Set<string>();
let publicKey: Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];
const ids: Record<string, string> = {};

async function startIdp(): Promise<typeof idp> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = await generateKeyPair('RS256', { extractable: true });
  publicKey = keys.publicKey;
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(keys.privateKey)), alg: 'RS256', use: 'sig', kid: 'k1' }] },
    clients: [{ client_id: 'gateway', client_secret: CLIENT_SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Tokens for a resource ending in /short live 2 s, for the expiry test.
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'orders:read',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: resource.endsWith('/short') ? 2 : 300,
        }),
      },
    },
  });
  const state = { issuer, tokenRequests: 0, server };
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/token')) state.tokenRequests++;
    callback(req, res);
  });
  return state;
}

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

function get(base: string) {
  return fetch(`${t.gh.urls.proxy}${base}/whoami`, { headers: { authorization: `Bearer ${caller}` } });
}

async function publish(basePath: string, credential: Record<string, unknown>): Promise<string> {
  const cred = await admin('POST', '/backend-credentials', {
    type: 'oauth2_client_credentials',
    clientId: 'gateway',
    clientSecret: CLIENT_SECRET,
    ...credential,
  });
  const proxy = await admin('POST', '/proxies', {
    collectionId: ids.collection,
    name: basePath,
    basePath,
    upstreams: [upstream.url],
    backendCredentialId: cred.id,
  });
  await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/whoami', summary: `whoami ${basePath}` });
  return cred.id;
}

beforeAll(async () => {
  idp = await startIdp();
  // The upstream verifies the bearer JWT (signature, issuer, its own audience, expiry) and refuses tokens the test revoked.
  upstream = await startAuthUpstream(async (req) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || refused.has(token)) return false;
    try {
      const { payload } = await jwtVerify(token, publicKey, { issuer: idp.issuer });
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      return aud.some((a) => typeof a === 'string' && a.startsWith(upstream.url));
    } catch {
      return false;
    }
  });
  deadTokenUrl = await new Promise<string>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(`http://127.0.0.1:${port}/token`));
    });
  });
  t = await startTestGatehouse('sqlite', { tokenEndpoints: { allowPrivateNetworks: true, timeoutMs: 2_000 } });
  ids.collection = (await admin('POST', '/collections', { slug: 'oauth', name: 'OAuth backends', published: true })).id;
  const tokenUrl = `${idp.issuer}/token`;
  ids.main = await publish('/main/v1', { name: 'orders-idp', tokenUrl, resource: `${upstream.url}/api` });
  ids.short = await publish('/short/v1', { name: 'short-idp', tokenUrl, resource: `${upstream.url}/short`, clientAuth: 'client_secret_post' });
  ids.dead = await publish('/dead/v1', { name: 'dead-idp', tokenUrl: deadTokenUrl });
  ids.wrong = await publish('/wrong/v1', { name: 'wrong-idp', tokenUrl, clientSecret: 'not-the-secret-value' });
  const client = await admin('POST', '/clients', { name: 'Partner', collectionIds: [ids.collection] });
  const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'default', authType: 'token' });
  caller = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
});

afterAll(async () => {
  await t?.close();
  await upstream?.close();
  if (idp) {
    idp.server.closeAllConnections();
    await new Promise((r) => idp.server.close(r));
  }
});

const lastToken = () => /^Bearer (.+)$/.exec(String(upstream.seen.at(-1)?.headers.authorization))?.[1] ?? '';

describe('oauth2_client_credentials backend credentials', () => {
  it('N concurrent calls → one token request; the upstream gets a valid JWT for its audience', async () => {
    const before = idp.tokenRequests;
    const results = await Promise.all(Array.from({ length: 20 }, () => get('/main/v1')));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (let i = 0; i < 10; i++) expect((await get('/main/v1')).status).toBe(200);
    expect(idp.tokenRequests - before).toBe(1);
    expect(lastToken()).not.toBe(caller);
  });

  it('refreshes the token shortly before it expires (client_secret_post)', async () => {
    const before = idp.tokenRequests;
    expect((await get('/short/v1')).status).toBe(200);
    const first = lastToken();
    expect((await get('/short/v1')).status).toBe(200);
    expect(idp.tokenRequests - before).toBe(1);
    // The 2 s token is refreshed a tenth of its lifetime early.
    await new Promise((r) => setTimeout(r, 1_900));
    expect((await get('/short/v1')).status).toBe(200);
    expect(lastToken()).not.toBe(first);
    expect(idp.tokenRequests - before).toBe(2);
  });

  it('an upstream 401 gets exactly one retry with a fresh token', async () => {
    expect((await get('/main/v1')).status).toBe(200);
    refused.add(lastToken());
    const seen = upstream.seen.length;
    const before = idp.tokenRequests;
    const res = await get('/main/v1');
    expect(res.status).toBe(200);
    expect(upstream.seen.length - seen).toBe(2);
    expect(idp.tokenRequests - before).toBe(1);

    // An upstream that refuses every token: one retry, then its own 401 goes back to the caller.
    const saved = upstream.accepts;
    upstream.accepts = () => false;
    try {
      const seen2 = upstream.seen.length;
      const refusedCall = await get('/main/v1');
      expect(refusedCall.status).toBe(401);
      expect(upstream.seen.length - seen2).toBe(2);
    } finally {
      upstream.accepts = saved;
    }
  });

  it('the same through Gateway MCP execute_call: cached token, one retry', async () => {
    const mcp = new Client({ name: 'oauth2-test', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${caller}` } } }),
    );
    const execute = async () => {
      const out: any = await mcp.callTool({ name: 'execute_call', arguments: { endpoint: 'GET /main/v1/whoami' } });
      return { status: out.isError ? 0 : 200, out };
    };
    const before = idp.tokenRequests;
    expect((await execute()).status).toBe(200);
    refused.add(lastToken());
    const seen = upstream.seen.length;
    expect((await execute()).status).toBe(200);
    expect(upstream.seen.length - seen).toBe(2);
    expect(idp.tokenRequests - before).toBe(1);
    await mcp.close();
  });

  it('a token endpoint that is down or refuses answers a clear 502, logged, with no secret in it', async () => {
    const down = await get('/dead/v1');
    expect(down.status).toBe(502);
    const body = (await down.json()) as any;
    expect(body.error.code).toBe('GATEHOUSE_BACKEND_TOKEN_FAILED');
    expect(body.error.message).toContain('dead-idp');
    const wrong = await get('/wrong/v1');
    expect(wrong.status).toBe(502);
    const wrongBody = (await wrong.json()) as any;
    expect(wrongBody.error.code).toBe('GATEHOUSE_BACKEND_TOKEN_FAILED');
    expect(wrongBody.error.message).toContain('invalid_client');
    expect(JSON.stringify([body, wrongBody])).not.toMatch(/Client-Secret|not-the-secret/);
    const deadline = Date.now() + 10_000;
    let logged: any;
    do {
      logged = (await admin('GET', '/request-logs?limit=500')).items.filter((l: any) => l.errorCode === 'GATEHOUSE_BACKEND_TOKEN_FAILED');
      if (logged.length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(logged.map((l: any) => l.status)).toEqual([502, 502]);
  });
});
