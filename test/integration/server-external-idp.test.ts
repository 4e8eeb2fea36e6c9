import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { type ExternalIdp, startExternalIdp } from '../support/external-idp.js';
import { call } from '../support/gatehouse.js';

// The whole gateway with a company IdP as its only issuer: no built-in authorization server, no
// local users; who may do what comes from role bindings on the IdP's groups.
const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 't', localAdmin: true };

let idp: ExternalIdp;
let otherIdp: ExternalIdp;
let db: TestDatabase;
let gh: RunningGatehouse;

beforeAll(async () => {
  idp = await startExternalIdp({
    clients: [
      { clientId: 'ci-pipeline', clientSecret: 'ci-secret', groups: ['platform', 'ci'] },
      { clientId: 'outsider', clientSecret: 'outsider-secret', groups: ['marketing'] },
    ],
  });
  // Another IdP that knows the same client: its tokens must not be accepted.
  otherIdp = await startExternalIdp({ clients: [{ clientId: 'ci-pipeline', clientSecret: 'ci-secret', groups: ['platform'] }] });
  db = await freshDatabase('sqlite');
  gh = await startGatehouse({
    port: 0,
    dataDir: db.dataDir,
    logLevel: 'silent',
    externalIdp: { issuer: idp.issuer, groupsClaim: 'groups' },
  });
});

afterAll(async () => {
  await gh?.close();
  await db?.drop();
  await idp?.close();
  await otherIdp?.close();
});

describe('gateway with an external IdP', () => {
  it('has no built-in authorization server and no first admin', async () => {
    expect(gh.firstAdmin).toBeNull();
    expect(gh.urls.issuer).toBe(idp.issuer);
    expect(gh.urls.login).toBeUndefined();
    for (const path of ['/oauth/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/oauth', '/oauth/token', '/oauth/jwks']) {
      const res = await fetch(gh.urls.admin + path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('GATEHOUSE_ROUTE_NOT_FOUND');
      expect(body.error.requestId).toBeTruthy();
    }
    const users = (await gh.executor.execute('users.list', {}, local)) as { items: unknown[] };
    expect(users.items).toEqual([]);
  });

  it('names the external issuer in the admin API protected-resource metadata and 401 challenge', async () => {
    const res = await fetch(`${gh.urls.admin}/.well-known/oauth-protected-resource/admin/api/v1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resource: gh.urls.adminApi, authorization_servers: [idp.issuer] });
    const anonymous = await call(gh.urls.adminApi, null, 'GET', '/collections');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('GATEHOUSE_UNAUTHENTICATED');
    expect(anonymous.headers.get('www-authenticate')).toContain(`resource_metadata="${gh.urls.admin}/.well-known/oauth-protected-resource/admin/api/v1"`);
    // The OpenAPI document points clients at the external IdP too.
    const openapi = (await (await fetch(`${gh.urls.adminApi}/openapi.json`)).json()) as any;
    expect(openapi.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl.startsWith(idp.issuer)).toBe(true);
  });

  it('authenticates an IdP token with no role binding, then refuses it with 403 (audited as denied)', async () => {
    const token = await idp.token('ci-pipeline', gh.urls.adminApi);
    const res = await call(gh.urls.adminApi, token, 'GET', '/collections');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('GATEHOUSE_FORBIDDEN');
    const audit = (await gh.executor.execute('audit-logs.list', { actor: 'ci-pipeline', limit: 10 }, local)) as { items: any[] };
    expect(audit.items[0]).toMatchObject({ action: 'collections.list', outcome: 'denied', status: 403, actor: { subject: 'ci-pipeline' } });
  });

  it('grants what a role binding on an IdP group allows, and audits writes with the external subject', async () => {
    const binding = (await gh.executor.execute('role-bindings.create', { group: 'platform', role: 'admin' }, local)) as { id: string };
    expect(binding.id).toBeTruthy();
    const token = await idp.token('ci-pipeline', gh.urls.adminApi);
    const list = await call(gh.urls.adminApi, token, 'GET', '/collections');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);

    const created = await call(gh.urls.adminApi, token, 'POST', '/collections', { slug: 'billing', name: 'Billing' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'billing', name: 'Billing' });
    const audit = await call(gh.urls.adminApi, token, 'GET', `/audit-logs?action=collections.create&limit=10`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      action: 'collections.create',
      outcome: 'success',
      resourceId: created.body.id,
      channel: 'api',
      actor: { subject: 'ci-pipeline', kind: 'service' },
      clientApp: 'ci-pipeline',
    });

    // A client of the same IdP outside the bound group still has no role.
    const outsider = await idp.token('outsider', gh.urls.adminApi);
    expect((await call(gh.urls.adminApi, outsider, 'GET', '/collections')).status).toBe(403);
  });

  it('refuses an IdP token minted for another audience with 401 GATEHOUSE_INVALID_TOKEN', async () => {
    for (const resource of [`${gh.urls.admin}/management/mcp`, 'https://api.example.com/other']) {
      const token = await idp.token('ci-pipeline', resource);
      const res = await call(gh.urls.adminApi, token, 'GET', '/collections');
      expect(res.status, resource).toBe(401);
      expect(res.body.error.code).toBe('GATEHOUSE_INVALID_TOKEN');
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('refuses tokens from another issuer, or signed with another key, with 401', async () => {
    const foreign = await otherIdp.token('ci-pipeline', gh.urls.adminApi);
    const fromOther = await call(gh.urls.adminApi, foreign, 'GET', '/collections');
    expect(fromOther.status).toBe(401);
    expect(fromOther.body.error.code).toBe('GATEHOUSE_INVALID_TOKEN');

    // Same issuer, audience, subject and kid as a real token, but signed with a key the IdP never published.
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    expect((await exportJWK(publicKey)).kty).toBe('RSA');
    const forged = await new SignJWT({ client_id: 'ci-pipeline', groups: ['platform'], scope: 'read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-key', typ: 'at+jwt' })
      .setIssuer(idp.issuer)
      .setAudience(gh.urls.adminApi)
      .setSubject('ci-pipeline')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('forged')
      .sign(privateKey);
    const res = await call(gh.urls.adminApi, forged, 'GET', '/collections');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('GATEHOUSE_INVALID_TOKEN');
    // Nothing was written under the forged identity.
    const collections = await call(gh.urls.adminApi, await idp.token('ci-pipeline', gh.urls.adminApi), 'GET', '/collections');
    expect(collections.body.items.map((c: { slug: string }) => c.slug)).toEqual(['billing']);
  });
});
