import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

let t: TestGatehouse;
let collectionId: string;
let clientId: string;

async function snapshot() {
  const rows = await t.db.db.selectFrom('resources').select(['id', 'version']).orderBy('id').execute();
  const successes = await t.db.db.selectFrom('audit_log').select('id').where('outcome', '=', 'success').execute();
  return { rows, successes: successes.length };
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  collectionId = (await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'billing', name: 'Billing' })).body.id;
  clientId = (await call(t.api, t.adminToken, 'POST', '/clients', { name: 'Globex', collectionIds: [collectionId] })).body.id;
  await call(t.api, t.adminToken, 'POST', '/proxies', { collectionId, name: 'Billing', basePath: '/billing', upstreams: ['http://127.0.0.1:9'] });
});
afterAll(async () => t?.close());

const CASES: Array<{
  name: string;
  method: string;
  path: () => string;
  body: () => unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  detail?: string;
}> = [
  { name: 'malformed JSON', method: 'POST', path: () => '/collections', body: () => '{"slug": "x",', status: 400, code: 'GATEHOUSE_INVALID_JSON' },
  {
    name: 'an unknown field',
    method: 'POST',
    path: () => '/collections',
    body: () => ({ slug: 'x', name: 'X', colour: 'red' }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'colour',
  },
  {
    name: 'a wrong type',
    method: 'POST',
    path: () => '/collections',
    body: () => ({ slug: 'x', name: 'X', published: 'yes' }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'published',
  },
  {
    name: 'a missing required field',
    method: 'POST',
    path: () => '/policies',
    body: () => ({}),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'name',
  },
  { name: 'a JSON array instead of an object', method: 'POST', path: () => '/policies', body: () => [1, 2], status: 400, code: 'GATEHOUSE_VALIDATION_FAILED' },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: () => '/policies',
    body: () => 'name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'GATEHOUSE_UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'an oversize body',
    method: 'POST',
    path: () => '/policies',
    body: () => ({ name: 'x'.repeat(1_200_000) }),
    status: 413,
    code: 'GATEHOUSE_BODY_TOO_LARGE',
  },
  {
    name: 'a duplicate slug',
    method: 'POST',
    path: () => '/collections',
    body: () => ({ slug: 'billing', name: 'Again' }),
    status: 409,
    code: 'GATEHOUSE_CONFLICT',
  },
  {
    name: 'a duplicate base path (any case)',
    method: 'POST',
    path: () => '/proxies',
    body: () => ({ collectionId, name: 'Dup', basePath: '/Billing', upstreams: ['http://127.0.0.1:9'] }),
    status: 409,
    code: 'GATEHOUSE_CONFLICT',
  },
  {
    name: 'a reference to a missing collection',
    method: 'POST',
    path: () => '/clients',
    body: () => ({ name: 'Initech', collectionIds: ['col_missing'] }),
    status: 422,
    code: 'GATEHOUSE_REFERENCE_NOT_FOUND',
    detail: 'collectionIds',
  },
  {
    name: 'a reference to a missing policy',
    method: 'PATCH',
    path: () => `/clients/${clientId}`,
    body: () => ({ policyId: 'pol_missing' }),
    status: 422,
    code: 'GATEHOUSE_REFERENCE_NOT_FOUND',
    detail: 'policyId',
  },
  {
    name: 'an invalid CIDR',
    method: 'POST',
    path: () => '/profiles',
    body: () => ({ clientId, name: 'p', authType: 'token', ipAllowlist: ['10.0.0.0/33'] }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'ipAllowlist.0',
  },
  {
    name: 'a reserved base path',
    method: 'POST',
    path: () => '/proxies',
    body: () => ({ collectionId, name: 'Evil', basePath: '/admin/api', upstreams: ['http://127.0.0.1:9'] }),
    status: 422,
    code: 'GATEHOUSE_RESERVED_PATH',
  },
  {
    name: 'a non-http upstream',
    method: 'POST',
    path: () => '/proxies',
    body: () => ({ collectionId, name: 'F', basePath: '/f', upstreams: ['file:///etc/passwd'] }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'upstreams.0',
  },
  {
    name: 'a negative request body limit',
    method: 'POST',
    path: () => '/proxies',
    body: () => ({ collectionId, name: 'N', basePath: '/n', upstreams: ['http://127.0.0.1:9'], maxRequestBodyBytes: -1 }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'maxRequestBodyBytes',
  },
  {
    name: 'a profile narrower set outside the client grants',
    method: 'POST',
    path: () => '/profiles',
    body: () => ({ clientId, name: 'n', authType: 'token', collectionIds: ['col_other'] }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'collectionIds',
  },
  {
    name: 'a jwt profile without key material',
    method: 'POST',
    path: () => '/profiles',
    body: () => ({ clientId, name: 'j', authType: 'jwt', jwt: { issuer: 'https://idp.example', audience: 'a' } }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'jwt',
  },
  {
    name: 'deleting a collection still in use',
    method: 'DELETE',
    path: () => `/collections/${collectionId}`,
    body: () => undefined,
    status: 409,
    code: 'GATEHOUSE_IN_USE',
  },
  {
    name: 'updating a missing resource',
    method: 'PATCH',
    path: () => '/policies/pol_missing',
    body: () => ({ name: 'x' }),
    status: 404,
    code: 'GATEHOUSE_NOT_FOUND',
  },
  {
    name: 'a bad page size',
    method: 'GET',
    path: () => '/clients?limit=100000',
    body: () => undefined,
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'limit',
  },
  {
    name: 'a scope on a non-modifier role',
    method: 'POST',
    path: () => '/role-bindings',
    body: () => ({ subject: 's', role: 'viewer', scope: { resourceTypes: ['proxies'] } }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
    detail: 'scope',
  },
  {
    name: 'a binding with both subject and group',
    method: 'POST',
    path: () => '/role-bindings',
    body: () => ({ subject: 's', group: 'g', role: 'viewer' }),
    status: 400,
    code: 'GATEHOUSE_VALIDATION_FAILED',
  },
];

describe('bad input gets a precise 4xx JSON error and writes nothing', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const before = await snapshot();
      const res = await call(t.api, t.adminToken, c.method, c.path(), c.body(), c.headers);
      expect(res.status).toBe(c.status);
      expect(res.body.error.code).toBe(c.code);
      expect(typeof res.body.error.message).toBe('string');
      expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
      if (c.detail) expect(JSON.stringify(res.body.error.details ?? res.body.error.message)).toContain(c.detail);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('failed writes are audited as failures with their code', async () => {
    const res = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'billing', name: 'Once more' });
    expect(res.status).toBe(409);
    const entries = (await call(t.api, t.adminToken, 'GET', '/audit-logs?outcome=failure&action=collections.create&limit=1')).body.items;
    expect(entries[0]).toMatchObject({ outcome: 'failure', status: 409, errorCode: 'GATEHOUSE_CONFLICT', requestId: res.body.error.requestId });
  });

  it('refuses two clients trusting the same token issuer and audience without a claim to tell them apart', async () => {
    const other = (await call(t.api, t.adminToken, 'POST', '/clients', { name: 'Umbrella', collectionIds: [collectionId] })).body.id;
    const jwt = (claim?: string) => ({
      issuer: 'https://idp.example.com',
      audience: 'gatehouse',
      publicKey: '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}',
      ...(claim ? { requiredClaim: { name: 'org', value: claim } } : {}),
    });
    expect((await call(t.api, t.adminToken, 'POST', '/profiles', { clientId, name: 'sso', authType: 'jwt', jwt: jwt() })).status).toBe(201);
    const before = await snapshot();
    const clash = await call(t.api, t.adminToken, 'POST', '/profiles', { clientId: other, name: 'sso', authType: 'jwt', jwt: jwt('umbrella') });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details[0].path).toBe('jwt.requiredClaim');
    expect(await snapshot()).toEqual(before);
  });

  it('the last admin binding cannot be removed (no lockout)', async () => {
    const bindings = (await call(t.api, t.adminToken, 'GET', '/role-bindings')).body.items.filter((b: any) => b.role === 'admin');
    expect(bindings).toHaveLength(1);
    const res = await call(t.api, t.adminToken, 'DELETE', `/role-bindings/${bindings[0].id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('GATEHOUSE_INVALID_STATE');
  });

  it('a dry run validates and returns the plan without writing', async () => {
    const before = await snapshot();
    const res = await call(t.api, t.adminToken, 'POST', '/policies?dryRun=true', { name: 'planned', rateLimits: [{ window: 'second', limit: 5 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ dryRun: true, planned: { after: { name: 'planned' } } });
    expect(await snapshot()).toEqual(before);
  });
});
