import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/identity/passwords.js';
import { insertUser } from '../../src/store/repositories/users.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { authorizeWithPassword, registerClient, serveAuthorizationServer, tokenRequest } from '../support/oauth.js';

const PASSWORD = 'correct horse battery staple';
const secrets = new SecretBox(randomBytes(32));
let database: TestDatabase;
let served: Awaited<ReturnType<typeof serveAuthorizationServer>>;
let managementMcp: string;

beforeAll(async () => {
  database = await freshDatabase('sqlite');
  const now = new Date().toISOString();
  await insertUser(database.db, {
    id: 'usr_alice',
    username: 'alice',
    password_hash: await hashPassword(PASSWORD),
    disabled: 0,
    created_at: now,
    updated_at: now,
  });
  served = await serveAuthorizationServer({ db: database.db, secrets, dcrRateLimitPerMinute: 1000 });
  managementMcp = served.resources[1] as string;
});

afterAll(async () => {
  await served?.close();
  await database?.drop();
});

describe('dynamic client registration (RFC 7591)', () => {
  it('registers a public client that can run the code flow, always through the consent page', async () => {
    const redirectUri = 'http://127.0.0.1:43111/callback';
    const { status, body } = await registerClient(served.issuer, {
      client_name: 'Some MCP client',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ client_name: 'Some MCP client', token_endpoint_auth_method: 'none', redirect_uris: [redirectUri] });
    expect(body.client_id).toMatch(/^dcr_/);
    expect(body.client_secret).toBeUndefined();
    expect(body.registration_access_token).toEqual(expect.any(String));
    expect(body.registration_client_uri).toBe(`${served.issuer}/reg/${body.client_id}`);

    // The registration persists in the store, with no expiry.
    const row = await database.db
      .selectFrom('oidc_payloads')
      .selectAll()
      .where('model', '=', 'Client')
      .where('id', '=', body.client_id as string)
      .executeTakeFirst();
    expect(row?.expires_at).toBeNull();

    const clientId = body.client_id as string;
    const auth = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      clientId,
      redirectUri,
      resource: managementMcp,
      scope: 'gatehouse:management',
      consent: 'allow',
    });
    expect(auth.consentPage).toContain('Some MCP client');
    expect(auth.code).toEqual(expect.any(String));
    const token = await tokenRequest(served.issuer, {
      grant_type: 'authorization_code',
      code: auth.code as string,
      redirect_uri: redirectUri,
      code_verifier: auth.verifier,
      client_id: clientId,
      resource: managementMcp,
    });
    expect(token.status).toBe(200);
    expect(decodeJwt(token.body.access_token as string)).toMatchObject({
      aud: managementMcp,
      scope: 'gatehouse:management',
      client_id: clientId,
      sub: 'usr_alice',
    });
  });

  it('registers a confidential client with a secret', async () => {
    const { status, body } = await registerClient(served.issuer, {
      redirect_uris: ['https://app.example.com/oauth/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(status).toBe(201);
    expect(body.client_secret).toEqual(expect.any(String));
    // An authorization-code client may always refresh, asked or not.
    expect(body.grant_types).toEqual(['authorization_code', 'refresh_token']);
  });

  it('reads the registration back at registration_client_uri with the registration access token only', async () => {
    const { body } = await registerClient(served.issuer, { redirect_uris: ['http://localhost:5000/cb'], token_endpoint_auth_method: 'none' });
    const uri = body.registration_client_uri as string;
    const read = await fetch(uri, { headers: { authorization: `Bearer ${body.registration_access_token as string}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ client_id: body.client_id, redirect_uris: ['http://localhost:5000/cb'] });
    expect((await fetch(uri)).status).toBe(401);
    expect((await fetch(uri, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('applies the same rules to an update (RFC 7592), and deletes the registration', async () => {
    const { body } = await registerClient(served.issuer, { redirect_uris: ['http://localhost:5000/cb'], token_endpoint_auth_method: 'none' });
    const uri = body.registration_client_uri as string;
    const headers = { authorization: `Bearer ${body.registration_access_token as string}`, 'content-type': 'application/json' };
    const update = (redirect: string) =>
      fetch(uri, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ client_id: body.client_id, redirect_uris: [redirect], token_endpoint_auth_method: 'none' }),
      });
    const bad = await update('http://attacker.example/cb');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_redirect_uri');
    const good = await update('https://app.example.com/cb');
    expect(good.status).toBe(200);
    expect(((await good.json()) as { redirect_uris: string[] }).redirect_uris).toEqual(['https://app.example.com/cb']);
    expect((await fetch(uri, { method: 'DELETE', headers })).status).toBe(204);
    const gone = await database.db
      .selectFrom('oidc_payloads')
      .select('id')
      .where('model', '=', 'Client')
      .where('id', '=', body.client_id as string)
      .executeTakeFirst();
    expect(gone).toBeUndefined();
  });

  it('refuses redirect URIs that are neither https, loopback http nor a native app scheme, and grants other than code + refresh', async () => {
    for (const uri of ['http://app.example.com/cb', 'http://10.0.0.5/cb', 'javascript:alert(1)', 'file:///tmp/cb', 'https://app.example.com/cb#frag']) {
      const { status, body } = await registerClient(served.issuer, { redirect_uris: [uri], token_endpoint_auth_method: 'none' });
      expect(status, uri).toBe(400);
      expect(body.error, uri).toBe('invalid_redirect_uri');
    }
    for (const grant_types of [['client_credentials'], ['implicit'], ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code']]) {
      const { status, body } = await registerClient(served.issuer, { redirect_uris: ['https://a.example/cb'], grant_types });
      expect(status, grant_types.join()).toBe(400);
      expect(body.error).toBe('invalid_client_metadata');
    }
    const implicit = await registerClient(served.issuer, { redirect_uris: ['https://a.example/cb'], response_types: ['id_token'] });
    expect(implicit.status).toBe(400);
  });

  it('limits registrations per client IP per minute with 429 too_many_requests', async () => {
    const limited = await serveAuthorizationServer({ db: database.db, secrets, dcrRateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof registerClient>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await registerClient(limited.issuer, { redirect_uris: ['https://a.example/cb'] });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
      expect(last?.body.error).toBe('too_many_requests');
      expect(last?.headers.get('retry-after')).toBe('60');
      // Only registration is limited: the rest of the server still answers.
      expect((await fetch(`${limited.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
