import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { type EnterpriseIdp, startEnterpriseIdp } from '../support/enterprise-idp.js';
import { freePort } from '../support/free-port.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
const pg = await postgresAvailable();

// Two nodes behind one public URL, sharing one PostgreSQL: an ID-JAG redeemed on one is refused on the other.
describe.runIf(pg)('ID-JAG replay across the nodes of a cluster', { timeout: 90_000 }, () => {
  let db: TestDatabase;
  let a: RunningGatehouse;
  let b: RunningGatehouse;
  let idp: EnterpriseIdp;
  let app: { clientId: string; clientSecret: string };
  let ports: { a: number; b: number };
  let publicUrl: string;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    ports = { a: await freePort(), b: await freePort() };
    publicUrl = `http://127.0.0.1:${ports.a}`;
    const shared = {
      dataDir: db.dataDir,
      databaseUrl: db.env.GATEHOUSE_DATABASE_URL,
      databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA,
      secretKey: randomBytes(32).toString('base64'),
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent' as const,
      publicUrl,
    };
    a = await startGatehouse({ ...shared, port: ports.a });
    b = await startGatehouse({ ...shared, port: ports.b });
    await a.executor.execute('users.create', { username: 'alice@example.com', password: 'alice-password-12345', role: 'viewer' }, local);
    const out = (await a.executor.execute('service-accounts.create', { name: 'chat-app', role: 'viewer' }, local)) as {
      serviceAccount: { clientId: string };
      clientSecret: string;
    };
    app = { clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret };
    idp = await startEnterpriseIdp({ users: [], clients: [] });
    const { accessToken } = await loginWithPassword({ issuer: a.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: a.urls.adminApi });
    const trusted = await call(a.urls.adminApi, accessToken, 'POST', '/trusted-idps', { name: 'acme', issuer: idp.issuer, allowedClientIds: [app.clientId] });
    expect(trusted.status, JSON.stringify(trusted.body)).toBe(201);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await idp?.close();
    await db?.drop();
  });

  const grant = () => {
    const now = Math.floor(Date.now() / 1000);
    return idp.signGrant({
      iss: idp.issuer,
      sub: 'u-alice',
      email: 'alice@example.com',
      aud: a.urls.issuer,
      resource: `${publicUrl}/management/mcp`,
      client_id: app.clientId,
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
    });
  };
  // Straight to one node's own listener, as a load balancer would send it.
  const redeemAt = async (port: number, assertion: string) => {
    const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
    const res = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('refuses on node B an assertion redeemed on node A', async () => {
    expect(b.urls.issuer).toBe(a.urls.issuer);
    const assertion = await grant();
    const first = await redeemAt(ports.a, assertion);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await redeemAt(ports.b, assertion);
    expect(second.body).toEqual({ error: 'invalid_grant', error_description: 'the assertion has already been used' });
  });

  it('lets exactly one of two nodes racing on one assertion win', async () => {
    const assertion = await grant();
    const results = await Promise.all([redeemAt(ports.a, assertion), redeemAt(ports.b, assertion)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });
});
