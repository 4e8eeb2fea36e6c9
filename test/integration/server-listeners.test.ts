import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildOpenApi } from '../../src/http/openapi.js';
import { configJsonSchema } from '../../src/management/config/json-schema.js';
import { configKinds } from '../../src/management/config/kinds.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { rawConnection } from '../support/raw-http.js';

// With `adminPort`, the admin surfaces (admin API, OAuth, protected-resource metadata) live on their
// own listener, and the main listener (the proxy) does not expose them at all.
let db: TestDatabase;
let gh: RunningGatehouse;
let adminToken: string;

beforeAll(async () => {
  db = await freshDatabase('sqlite');
  gh = await startGatehouse({ port: 0, adminPort: 0, dataDir: db.dataDir, adminPassword: ADMIN_PASSWORD, logLevel: 'silent' });
  adminToken = (await loginWithPassword({ issuer: gh.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: gh.urls.adminApi })).accessToken;
});

afterAll(async () => {
  await gh?.close();
  await db?.drop();
});

async function expectRouteNotFound(url: string, init: RequestInit = {}): Promise<void> {
  const res = await fetch(url, init);
  expect(res.status, url).toBe(404);
  expect(res.headers.get('content-type'), url).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code, url).toBe('GATEHOUSE_ROUTE_NOT_FOUND');
  expect(body.error.requestId).toBeTruthy();
}

/** An operation's path with a placeholder for each path parameter. */
function concrete(path: string): string {
  return path.replace(/\{(\w+)\}/g, 'xyz_placeholder');
}

describe('separate admin listener', () => {
  it('listens on two different ports, with the issuer and admin API on the admin one', () => {
    expect(gh.urls.admin).not.toBe(gh.urls.proxy);
    expect(new URL(gh.urls.admin).port).not.toBe(new URL(gh.urls.proxy).port);
    expect(gh.urls.issuer).toBe(`${gh.urls.admin}/oauth`);
    expect(gh.urls.adminApi).toBe(`${gh.urls.admin}/admin/api/v1`);
    expect(gh.urls.login?.startsWith(gh.urls.admin)).toBe(true);
    expect(gh.firstAdmin).toEqual({ username: 'admin' });
  });

  it('answers the health checks on both listeners', async () => {
    for (const base of [gh.urls.proxy, gh.urls.admin]) {
      const healthz = await fetch(`${base}/healthz`);
      expect(healthz.status, base).toBe(200);
      expect(await healthz.json()).toEqual({ status: 'ok' });
      const readyz = await fetch(`${base}/readyz`);
      expect(readyz.status, base).toBe(200);
      expect(await readyz.json()).toEqual({ status: 'ready', store: 'ok' });
    }
  });

  it('serves OpenAPI, OAuth discovery and protected-resource metadata on the admin listener', async () => {
    const openapi = await fetch(`${gh.urls.adminApi}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');

    const discovery = await fetch(`${gh.urls.issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const meta = (await discovery.json()) as { issuer: string; token_endpoint: string };
    expect(meta.issuer).toBe(gh.urls.issuer);
    expect(meta.token_endpoint.startsWith(gh.urls.admin)).toBe(true);

    const prm = await fetch(`${gh.urls.admin}/.well-known/oauth-protected-resource/admin/api/v1`);
    expect(prm.status).toBe(200);
    expect(await prm.json()).toMatchObject({ resource: gh.urls.adminApi, authorization_servers: [gh.urls.issuer] });
  });

  it('does not expose admin, OAuth or metadata routes on the main listener', async () => {
    const main = gh.urls.proxy;
    await expectRouteNotFound(`${main}/admin/api/v1/collections`);
    await expectRouteNotFound(`${main}/admin/api/v1/collections`, { headers: { authorization: `Bearer ${adminToken}` } });
    await expectRouteNotFound(`${main}/admin/api/v1/collections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'sneaky', name: 'Sneaky' }),
    });
    await expectRouteNotFound(`${main}/admin/api/v1/openapi.json`);
    await expectRouteNotFound(`${main}/admin/api/v1/docs`);
    await expectRouteNotFound(`${main}/oauth/.well-known/openid-configuration`);
    await expectRouteNotFound(`${main}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    await expectRouteNotFound(`${main}/oauth/auth?client_id=gatehouse-cli`);
    await expectRouteNotFound(`${main}/.well-known/oauth-authorization-server/oauth`);
    await expectRouteNotFound(`${main}/.well-known/oauth-protected-resource/admin/api/v1`);
    // The refused write did not happen.
    const list = await call(gh.urls.adminApi, adminToken, 'GET', '/collections?q=sneaky');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('a password login against the admin listener yields a token that works there', async () => {
    const { accessToken } = await loginWithPassword({ issuer: gh.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: gh.urls.adminApi });
    const created = await call(gh.urls.adminApi, accessToken, 'POST', '/collections', { slug: 'orders', name: 'Orders' });
    expect(created.status).toBe(201);
    const list = await call(gh.urls.adminApi, accessToken, 'GET', '/collections');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { slug: string }) => c.slug)).toEqual(['orders']);
    const audit = await call(gh.urls.adminApi, accessToken, 'GET', '/audit-logs?action=collections.create&limit=5');
    expect(audit.body.items[0]).toMatchObject({ outcome: 'success', actor: { name: 'admin', kind: 'user' }, resourceId: created.body.id });
  });
});

describe('Expect: 100-continue', () => {
  it('tells an admin API caller to send its body at once, and answers once the body is read', async () => {
    const body = '{"name":""}';
    const conn = rawConnection(
      gh.urls.admin,
      `POST /admin/api/v1/collections HTTP/1.1\r\nHost: admin\r\nAuthorization: Bearer ${adminToken}\r\nContent-Type: application/json\r\n` +
        `Expect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    expect(await conn.until(/100 Continue\r\n\r\n/)).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    conn.socket.write(body);
    const received = await conn.until(/GATEHOUSE_VALIDATION_FAILED/);
    conn.socket.destroy();
    expect(received).toMatch(/100 Continue\r\n\r\nHTTP\/1\.1 400 [\s\S]*"GATEHOUSE_VALIDATION_FAILED"/);
  });
});

describe('the OpenAPI document and reference page', () => {
  let doc: any;
  beforeAll(async () => {
    doc = await (await fetch(`${gh.urls.adminApi}/openapi.json`)).json();
  });

  it('is an OpenAPI 3.1 document for this server, secured by the built-in issuer', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: gh.urls.adminApi }]);
    expect(doc.security).toEqual([{ oauth2: [] }]);
    const flows = doc.components.securitySchemes.oauth2.flows;
    expect(flows.authorizationCode.tokenUrl).toBe(`${gh.urls.issuer}/token`);
    expect(flows.authorizationCode.authorizationUrl).toBe(`${gh.urls.issuer}/auth`);
    expect(flows.clientCredentials.tokenUrl).toBe(`${gh.urls.issuer}/token`);
  });

  it('lists every registered operation under its path and method, with its operationId', () => {
    const ops = gh.executor.registry.all();
    expect(ops.length).toBeGreaterThan(0);
    const documented: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(methods)) documented.push(`${method.toUpperCase()} ${path} ${op.operationId}`);
    }
    // Streamed reads (log exports) are documented too, with their own media types.
    const all = [...ops, ...gh.executor.registry.streams()];
    expect(documented.sort()).toEqual(all.map((op) => `${op.http.method} ${op.http.path} ${op.name}`).sort());
    const ids = documented.map((d) => d.split(' ')[2]);
    expect(new Set(ids).size).toBe(ids.length);

    for (const op of ops) {
      const entry = doc.paths[op.http.path][op.http.method.toLowerCase()];
      expect(entry.operationId).toBe(op.name);
      expect(entry.summary).toBe(op.summary);
      // Every path template parameter is declared as a required path parameter.
      const names = [...op.http.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParams = entry.parameters.filter((p: any) => p.in === 'path');
      expect(pathParams.map((p: any) => p.name).sort(), op.name).toEqual([...names].sort());
      expect(pathParams.every((p: any) => p.required === true)).toBe(true);
      // Reads take no body; writes other than DELETE describe a JSON one.
      if (op.http.method === 'GET' || op.http.method === 'DELETE') expect(entry.requestBody, op.name).toBeUndefined();
      else expect(entry.requestBody.content['application/json'].schema, op.name).toBeTypeOf('object');
      const success = String(op.http.status ?? 200);
      expect(entry.responses[success].content['application/json'].schema, op.name).toBeTypeOf('object');
      expect(entry.responses['401']).toEqual({ $ref: '#/components/responses/Error' });
    }
  });

  it('is the document built from the registry, made on its first request and served as made from then on', async () => {
    const registry = gh.executor.registry;
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApi(registry, gh.urls.admin, gh.urls.issuer))));
    const all = vi.spyOn(registry, 'all');
    const streams = vi.spyOn(registry, 'streams');
    try {
      const again = await fetch(`${gh.urls.adminApi}/openapi.json`);
      expect(again.headers.get('cache-control')).toBe('public, max-age=60');
      expect(await again.json()).toEqual(doc);
      expect(all).not.toHaveBeenCalled();
      expect(streams).not.toHaveBeenCalled();
    } finally {
      all.mockRestore();
      streams.mockRestore();
    }
  });

  it('serves the config file schema built from the registry, the same on every request', async () => {
    const expected = JSON.parse(JSON.stringify(configJsonSchema(configKinds(gh.executor.registry.all()))));
    const first = await fetch(`${gh.urls.adminApi}/config.schema.json`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await first.json()).toEqual(expected);
    const all = vi.spyOn(gh.executor.registry, 'all');
    try {
      expect(await (await fetch(`${gh.urls.adminApi}/config.schema.json`)).json()).toEqual(expected);
      expect(all).not.toHaveBeenCalled();
    } finally {
      all.mockRestore();
    }
  });

  it('refers only to components it defines', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      if (!ref.startsWith('#/components/')) continue;
      const target = ref
        .slice(2)
        .split('/')
        .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('every documented operation is a real route on the admin listener (401 without a token) and absent from the main one', async () => {
    for (const op of gh.executor.registry.all()) {
      const init: RequestInit = {
        method: op.http.method,
        ...(op.http.method === 'POST' || op.http.method === 'PATCH' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
      };
      const res = await fetch(gh.urls.adminApi + concrete(op.http.path), init);
      expect(res.status, `${op.http.method} ${op.http.path}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('GATEHOUSE_UNAUTHENTICATED');
      await expectRouteNotFound(`${gh.urls.proxy}/admin/api/v1${concrete(op.http.path)}`, init);
    }
  });

  it('serves the reference page as HTML with a restrictive CSP, on the admin listener only', async () => {
    const res = await fetch(gh.urls.apiReference);
    expect(gh.urls.apiReference).toBe(`${gh.urls.adminApi}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html.toLowerCase()).toContain('<!doctype html');
    expect(html).toContain('/admin/api/v1/openapi.json');
  });
});
