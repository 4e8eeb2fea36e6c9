import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthUpstream, startAuthUpstream } from '../support/auth-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** Basic and API-key backend credentials against real upstreams that demand them, over REST and Gateway MCP `execute_call`. */

const PASSWORD = 'pa55-Backend-Secret-1';
const PASSWORD_2 = 'pa55-Backend-Secret-2';
const HEADER_KEY = 'hk-Backend-Key-Secret';
const QUERY_KEY = 'qk-Backend-Key-Secret';
const SECRETS = [PASSWORD, PASSWORD_2, HEADER_KEY, QUERY_KEY, Buffer.from(`svc:${PASSWORD}`).toString('base64')];

let t: TestGatehouse;
let basic: AuthUpstream;
let headerKey: AuthUpstream;
let queryKey: AuthUpstream;
let caller = { token: '', clientId: '', profileId: '' };
const ids: Record<string, string> = {};

async function admin(method: string, path: string, body?: unknown, token = t.adminToken): Promise<any> {
  const res = await call(t.api, token, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

function proxied(path: string, headers: Record<string, string> = {}) {
  return fetch(`${t.gh.urls.proxy}${path}`, { headers: { authorization: `Bearer ${caller.token}`, ...headers } });
}

async function publish(name: string, basePath: string, upstream: string, backendCredentialId: string | null | undefined): Promise<string> {
  const proxy = await admin('POST', '/proxies', {
    collectionId: ids.collection,
    name,
    basePath,
    upstreams: [upstream],
    backendCredentialId: backendCredentialId ?? null,
  });
  await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/whoami', summary: `Who am I (${name})` });
  return proxy.id;
}

beforeAll(async () => {
  basic = await startAuthUpstream((req) => req.headers.authorization === `Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`);
  headerKey = await startAuthUpstream((req) => req.headers['x-backend-key'] === HEADER_KEY);
  queryKey = await startAuthUpstream((req) => new URL(req.url ?? '', 'http://x').searchParams.getAll('api_key').join() === QUERY_KEY);
  t = await startTestGatehouse('sqlite');
  ids.collection = (await admin('POST', '/collections', { slug: 'backends', name: 'Backends', published: true })).id;
  ids.basic = (await admin('POST', '/backend-credentials', { name: 'orders-basic', type: 'basic', username: 'svc', password: PASSWORD })).id;
  ids.header = (
    await admin('POST', '/backend-credentials', { name: 'orders-header', type: 'api_key', in: 'header', param: 'X-Backend-Key', value: HEADER_KEY })
  ).id;
  ids.query = (await admin('POST', '/backend-credentials', { name: 'orders-query', type: 'api_key', in: 'query', param: 'api_key', value: QUERY_KEY })).id;
  await publish('basic', '/basic/v1', basic.url, ids.basic);
  await publish('header', '/header/v1', headerKey.url, ids.header);
  await publish('query', '/query/v1', queryKey.url, ids.query);
  await publish('none', '/none/v1', basic.url, null);
  const client = await admin('POST', '/clients', { name: 'Partner', collectionIds: [ids.collection] });
  const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'default', authType: 'token' });
  caller = { token: (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token, clientId: client.id, profileId: profile.id };
});

afterAll(async () => {
  await t?.close();
  await Promise.all([basic, headerKey, queryKey].map((u) => u?.close()));
});

describe('backend credentials: basic and API key', () => {
  it('reads show type, fingerprint and who set the material, never the secret', async () => {
    const one = await admin('GET', `/backend-credentials/${ids.basic}`);
    expect(one).toMatchObject({ name: 'orders-basic', type: 'basic', username: 'svc', certificate: null, expiresAt: null, rotatedBy: 'admin' });
    expect(one.fingerprint).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
    expect(one.password).toBeUndefined();
    const list = await admin('GET', '/backend-credentials');
    expect(list.items.map((c: any) => c.name)).toEqual(['orders-basic', 'orders-header', 'orders-query']);
    expect(list.items[1]).toMatchObject({ in: 'header', param: 'X-Backend-Key' });
    expect(list.items[1].value).toBeUndefined();
  });

  it('refuses a type’s wrong fields, and a proxy naming a credential that does not exist', async () => {
    const missing = await call(t.api, t.adminToken, 'POST', '/backend-credentials', { name: 'x', type: 'basic', username: 'u' });
    expect(missing.status).toBe(400);
    const mixed = await call(t.api, t.adminToken, 'POST', '/backend-credentials', { name: 'x', type: 'basic', username: 'u', password: 'p', value: 'v' });
    expect(mixed.status).toBe(400);
    const dangling = await call(t.api, t.adminToken, 'POST', '/proxies', {
      collectionId: ids.collection,
      name: 'dangling',
      basePath: '/dangling/v1',
      upstreams: [basic.url],
      backendCredentialId: 'bcr_nothing',
    });
    expect(dangling.status).toBe(422);
    expect(dangling.body.error.code).toBe('GATEHOUSE_REFERENCE_NOT_FOUND');
  });

  it('REST calls carry the backend credential; the caller’s own never reaches the upstream', async () => {
    const b = await proxied('/basic/v1/whoami', { 'x-api-key': 'caller-key' });
    expect(b.status, await b.clone().text()).toBe(200);
    const seen = basic.seen.at(-1)!;
    expect(seen.headers.authorization).toMatch(/^Basic /);
    expect(seen.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(caller.token);

    const h = await proxied('/header/v1/whoami', { 'x-backend-key': 'forged' });
    expect(h.status).toBe(200);
    expect(headerKey.seen.at(-1)!.headers['x-backend-key']).toBe(HEADER_KEY);
    expect(headerKey.seen.at(-1)!.headers.authorization).toBeUndefined();

    // A value the caller sends under the credential's name is replaced; its other parameters keep their encoding.
    const q = await proxied('/query/v1/whoami?api_key=forged&q=a%20b');
    expect(q.status).toBe(200);
    const url = queryKey.seen.at(-1)!.url;
    expect(url).toContain('q=a%20b');
    expect(new URL(url, 'http://x').searchParams.getAll('api_key')).toEqual([QUERY_KEY]);

    // Without a backend credential the upstream refuses, as it should.
    expect((await proxied('/none/v1/whoami')).status).toBe(401);
  });

  it('Gateway MCP execute_call carries the same credentials', async () => {
    const client = new Client({ name: 'creds-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${caller.token}`, 'x-client-id': caller.clientId, 'x-profile-id': caller.profileId } },
      }),
    );
    try {
      for (const base of ['/basic/v1', '/header/v1', '/query/v1']) {
        const out: any = await client.callTool({ name: 'execute_call', arguments: { endpoint: `GET ${base}/whoami` } });
        expect(out.isError, JSON.stringify(out)).toBeFalsy();
        expect(JSON.stringify(out.structuredContent ?? out.content)).toContain('"ok":true');
      }
    } finally {
      await client.close();
    }
  });

  it('a rotation takes effect on the next call, is audited with the secret redacted, and changes the fingerprint', async () => {
    const before = await admin('GET', `/backend-credentials/${ids.basic}`);
    basic.accepts = (req) => req.headers.authorization === `Basic ${Buffer.from(`svc:${PASSWORD_2}`).toString('base64')}`;
    expect((await proxied('/basic/v1/whoami')).status).toBe(401);
    const rotated = await admin('PATCH', `/backend-credentials/${ids.basic}`, { password: PASSWORD_2 });
    expect(rotated.fingerprint).not.toBe(before.fingerprint);
    expect(rotated.rotatedAt > before.rotatedAt).toBe(true);
    expect((await proxied('/basic/v1/whoami')).status).toBe(200);
    // A change that is not a rotation keeps when and by whom the material was set.
    const described = await admin('PATCH', `/backend-credentials/${ids.basic}`, { description: 'orders service account' });
    expect(described.rotatedAt).toBe(rotated.rotatedAt);
    expect(described.fingerprint).toBe(rotated.fingerprint);
    const audit = await admin('GET', `/audit-logs?resourceType=backend-credentials&resourceId=${ids.basic}`);
    expect(audit.items.map((e: any) => e.action).sort()).toEqual(['backend-credentials.create', 'backend-credentials.update', 'backend-credentials.update']);
    const rotation = audit.items.find((e: any) => e.diff.after.fingerprint === rotated.fingerprint && e.diff.before.fingerprint === before.fingerprint);
    expect(rotation.diff.after.rotatedAt).toBe(rotated.rotatedAt);
  });

  it('a workflow route group carries the credential it names instead of the proxy’s', async () => {
    const wf = await admin('POST', '/workflows', {
      name: 'to-header-backend',
      request: [{ type: 'route', id: 'route', groups: [{ name: 'keyed', upstreams: [headerKey.url], backendCredential: 'orders-header' }] }],
    });
    const proxy = await admin('POST', '/proxies', {
      collectionId: ids.collection,
      name: 'routed',
      basePath: '/routed/v1',
      upstreams: [basic.url],
      backendCredentialId: ids.basic,
      workflowId: wf.id,
    });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/whoami', summary: 'Routed' });
    const res = await proxied('/routed/v1/whoami');
    expect(res.status, await res.clone().text()).toBe(200);
    const seen = headerKey.seen.at(-1)!;
    expect(seen.headers['x-backend-key']).toBe(HEADER_KEY);
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('refuses to delete a credential a proxy uses', async () => {
    const res = await call(t.api, t.adminToken, 'DELETE', `/backend-credentials/${ids.header}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('GATEHOUSE_IN_USE');
  });

  it('RBAC: a modifier scoped to proxies neither reads nor changes backend credentials; one granted the type does', async () => {
    const proxiesOnly = await t.serviceAccount('modifier', { resourceTypes: ['proxies'] });
    expect((await call(t.api, proxiesOnly.token, 'GET', '/backend-credentials')).status).toBe(403);
    expect((await call(t.api, proxiesOnly.token, 'GET', `/backend-credentials/${ids.basic}`)).status).toBe(403);
    expect((await call(t.api, proxiesOnly.token, 'PATCH', `/backend-credentials/${ids.basic}`, { password: 'stolen-secret-1' })).status).toBe(403);
    const granted = await t.serviceAccount('modifier', { resourceTypes: ['proxies', 'backend-credentials'] });
    expect((await call(t.api, granted.token, 'GET', '/backend-credentials')).status).toBe(200);
    const made = await call(t.api, granted.token, 'POST', '/backend-credentials', {
      name: 'ci',
      type: 'api_key',
      in: 'header',
      param: 'x-ci',
      value: 'ci-secret-value',
    });
    expect(made.status).toBe(201);
    const viewer = await t.serviceAccount('viewer');
    expect((await call(t.api, viewer.token, 'GET', '/backend-credentials')).status).toBe(200);
    expect((await call(t.api, viewer.token, 'DELETE', `/backend-credentials/${made.body.id}`)).status).toBe(403);
  });

  it('no secret appears in any read, audit entry or request log', async () => {
    const dumps: string[] = [];
    dumps.push(JSON.stringify(await admin('GET', '/backend-credentials')));
    for (const id of [ids.basic, ids.header, ids.query]) dumps.push(JSON.stringify(await admin('GET', `/backend-credentials/${id}`)));
    const audit = await admin('GET', '/audit-logs?resourceType=backend-credentials&limit=500');
    expect(audit.items.length).toBeGreaterThanOrEqual(4);
    for (const e of audit.items) dumps.push(JSON.stringify(await admin('GET', `/audit-logs/${e.id}`)));
    const deadline = Date.now() + 10_000;
    let logs: any;
    do {
      logs = await admin('GET', '/request-logs?limit=500');
      if (logs.items.length >= 8) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(logs.items.length).toBeGreaterThanOrEqual(8);
    dumps.push(JSON.stringify(logs));
    const text = dumps.join('\n');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
