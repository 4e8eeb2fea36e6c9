import { randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../src/core/errors.js';
import { createLocalVerifier } from '../../src/identity/token-verifier.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { loadProviderKeys } from '../../src/identity/signing-keys.js';
import { putSecret } from '../../src/store/repositories/secrets.js';
import { insertUser } from '../../src/store/repositories/users.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { authorizeWithPassword, CookieJar, clientCredentialsToken, loginWithPassword, serveAuthorizationServer, tokenRequest } from '../support/oauth.js';

const PASSWORD = 'correct horse battery staple';
const secrets = new SecretBox(randomBytes(32));
let database: TestDatabase;
let served: Awaited<ReturnType<typeof serveAuthorizationServer>>;
let adminApi: string;
let managementMcp: string;

async function addUser(id: string, username: string, disabled = 0): Promise<void> {
  const now = new Date().toISOString();
  const password_hash = await hashPassword(PASSWORD);
  await insertUser(database.db, { id, username, password_hash, disabled, created_at: now, updated_at: now });
}

async function addServiceAccount(id: string, name: string, secret: string): Promise<void> {
  const now = new Date().toISOString();
  const data = { name, description: '', clientId: id, role: 'viewer', scope: {} };
  await database.db
    .insertInto('resources')
    .values({
      type: 'service-accounts',
      id,
      key: name,
      parent_id: null,
      collection_id: null,
      data: JSON.stringify(data),
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await putSecret(database.db, 'service-accounts', id, secrets.seal(secret));
}

async function expectInvalidToken(promise: Promise<unknown>, message?: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatehouseError);
  expect((err as GatehouseError).code).toBe('GATEHOUSE_INVALID_TOKEN');
  if (message) expect((err as GatehouseError).message).toMatch(message);
}

beforeAll(async () => {
  database = await freshDatabase('sqlite');
  await addUser('usr_alice', 'alice');
  await addUser('usr_mallory', 'mallory', 1);
  await addServiceAccount('sa_ci', 'ci-deployer', 'sa-secret-value-1234567890');
  served = await serveAuthorizationServer({ db: database.db, secrets });
  [adminApi, managementMcp] = served.resources as [string, string];
});

afterAll(async () => {
  await served?.close();
  await database?.drop();
});

const verifier = () => createLocalVerifier({ issuer: served.issuer, jwks: () => served.server.jwks() });

describe('discovery', () => {
  it('serves the same metadata at the provider path and the RFC 8414 path, with the exact issuer', async () => {
    const own = await fetch(`${served.issuer}/.well-known/openid-configuration`);
    const rfc8414 = await fetch(`${served.base}/.well-known/oauth-authorization-server/oauth`);
    const oidcAlias = await fetch(`${served.base}/.well-known/openid-configuration/oauth`);
    expect([own.status, rfc8414.status, oidcAlias.status]).toEqual([200, 200, 200]);
    const doc = (await own.json()) as Record<string, unknown>;
    expect(await rfc8414.json()).toEqual(doc);
    expect(await oidcAlias.json()).toEqual(doc);
    expect(doc.issuer).toBe(served.issuer);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.response_types_supported).toEqual(['code']);
    expect(doc.grant_types_supported).not.toContain('implicit');
    expect(doc.token_endpoint).toBe(`${served.issuer}/token`);
    expect(doc.authorization_endpoint).toBe(`${served.issuer}/auth`);
    expect(doc.jwks_uri).toBe(`${served.issuer}/jwks`);
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
  });

  it('builds endpoint URLs from the issuer, not from spoofable Host or X-Forwarded headers', async () => {
    const res = await fetch(`${served.issuer}/.well-known/openid-configuration`, {
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    });
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.token_endpoint).toBe(`${served.issuer}/token`);
  });

  it('serves the public JWKS, without private members', async () => {
    const jwks = (await (await fetch(`${served.issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(jwks.keys.some((k) => 'd' in k)).toBe(false);
    expect(
      served.server
        .jwks()
        .keys.map((k) => k.kid)
        .sort(),
    ).toEqual(jwks.keys.map((k) => k.kid).sort());
  });

  it("turns oidc-provider's request context storage off once no OAuth request is in flight (no async hooks left on the proxy path)", async () => {
    // Its AsyncLocalStorage rests on async_hooks before Node 24: left enabled, every later proxied call pays for them.
    const storage = ((await import('oidc-provider/lib/helpers/als.js' as string)) as { default: { enabled?: boolean } }).default;
    const calls = await Promise.all([
      ...Array.from({ length: 4 }, () => fetch(`${served.issuer}/.well-known/openid-configuration`).then((r) => r.status)),
      ...Array.from({ length: 4 }, () => fetch(`${served.issuer}/jwks`).then((r) => r.status)),
      clientCredentialsToken({ issuer: served.issuer, clientId: 'sa_ci', clientSecret: 'sa-secret-value-1234567890', resource: adminApi }).then(() => 200),
    ]);
    expect(calls).toEqual(Array(9).fill(200));
    expect(storage.enabled ?? false).toBe(false);
    expect((await fetch(`${served.issuer}/jwks`)).status).toBe(200);
    expect(storage.enabled ?? false).toBe(false);
  });

  it('leaves paths that are not its own alone', async () => {
    expect((await fetch(`${served.base}/admin/api/v1/collections`)).status).toBe(404);
    expect((await fetch(`${served.base}/oauthx`)).status).toBe(404);
  });
});

describe('password login (authorization code + PKCE)', () => {
  it('issues a JWT access token for the requested resource that the local verifier accepts only there', async () => {
    const { accessToken, refreshToken } = await loginWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: adminApi });
    expect(refreshToken).toEqual(expect.any(String));
    expect(decodeProtectedHeader(accessToken).typ).toBe('at+jwt');
    const claims = decodeJwt(accessToken);
    expect(claims).toMatchObject({ iss: served.issuer, aud: adminApi, sub: 'usr_alice', name: 'alice', gh_kind: 'user', client_id: 'gatehouse-cli' });

    const verified = await verifier().verify(accessToken, adminApi);
    expect(verified).toMatchObject({ subject: 'usr_alice', name: 'alice', kind: 'user', clientId: 'gatehouse-cli', audience: [adminApi], groups: [] });
    await expectInvalidToken(verifier().verify(accessToken, managementMcp), /not for this resource/);
  });

  it('defaults the audience to the admin API and can target the management MCP', async () => {
    const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD });
    const { body } = await tokenRequest(served.issuer, {
      grant_type: 'authorization_code',
      code: auth.code as string,
      redirect_uri: auth.redirectUri,
      code_verifier: auth.verifier,
      client_id: 'gatehouse-cli',
    });
    expect(decodeJwt(body.access_token as string).aud).toBe(adminApi);

    const mcp = await loginWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: managementMcp });
    expect((await verifier().verify(mcp.accessToken, managementMcp)).subject).toBe('usr_alice');
    await expectInvalidToken(verifier().verify(mcp.accessToken, adminApi));
  });

  it('accepts any loopback port for the CLI, on localhost too', async () => {
    for (const redirectHost of ['127.0.0.1', 'localhost'] as const) {
      const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: adminApi, redirectHost });
      expect(auth.code).toEqual(expect.any(String));
      expect(new URL(auth.redirectUri).hostname).toBe(redirectHost);
      expect(new URL(auth.redirectUri).port).not.toBe('');
    }
  });

  it('reuses the browser session: a second CLI login skips both the form and consent', async () => {
    const jar = new CookieJar();
    const first = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: adminApi, jar });
    expect(first.code).toEqual(expect.any(String));
    const second = await authorizeWithPassword({ issuer: served.issuer, username: 'nobody', password: 'unused', resource: managementMcp, jar });
    expect(second.code).toEqual(expect.any(String));
    const { body } = await tokenRequest(served.issuer, {
      grant_type: 'authorization_code',
      code: second.code as string,
      redirect_uri: second.redirectUri,
      code_verifier: second.verifier,
      client_id: 'gatehouse-cli',
      resource: managementMcp,
    });
    expect(decodeJwt(body.access_token as string)).toMatchObject({ sub: 'usr_alice', aud: managementMcp });
  });

  it('refuses tampered, expired, foreign-key tokens and ID tokens', async () => {
    const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: adminApi });
    const { body } = await tokenRequest(served.issuer, {
      grant_type: 'authorization_code',
      code: auth.code as string,
      redirect_uri: auth.redirectUri,
      code_verifier: auth.verifier,
      client_id: 'gatehouse-cli',
      resource: adminApi,
    });
    const accessToken = body.access_token as string;
    const [h, p, s] = accessToken.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(accessToken), sub: 'usr_admin' })).toString('base64url');
    await expectInvalidToken(verifier().verify(`${h}.${forged}.${s}`, adminApi), /signature/);
    await expectInvalidToken(verifier().verify(`${h}.${p}`, adminApi));
    await expectInvalidToken(verifier().verify('not a token', adminApi));

    // An ID token is signed by the same keys but is not an access token.
    expect(body.id_token).toEqual(expect.any(String));
    await expectInvalidToken(verifier().verify(body.id_token as string, 'gatehouse-cli'));

    const keys = await loadProviderKeys(database.db, secrets);
    const es256 = keys.signing.keys.find((k) => k.alg === 'ES256');
    const ourKey = await importJWK(es256 as object, 'ES256');
    const sign = (key: Parameters<SignJWT['sign']>[0], exp: number) =>
      new SignJWT({ sub: 'usr_alice', name: 'alice', gh_kind: 'user' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: es256?.kid as string })
        .setIssuer(served.issuer)
        .setAudience(adminApi)
        .setIssuedAt(exp - 900)
        .setExpirationTime(exp)
        .sign(key);
    const now = Math.floor(Date.now() / 1000);
    expect((await verifier().verify(await sign(ourKey, now + 60), adminApi)).subject).toBe('usr_alice');
    await expectInvalidToken(verifier().verify(await sign(ourKey, now - 120), adminApi), /expired/);
    const other = await generateKeyPair('ES256');
    await expectInvalidToken(verifier().verify(await sign(other.privateKey, now + 60), adminApi), /signature/);
    expect(await exportJWK(other.publicKey)).not.toEqual(expect.objectContaining({ x: es256?.x }));
  });

  it('shows the same error for a wrong password, an unknown user and a disabled user, and issues no code', async () => {
    const pages: string[] = [];
    for (const [username, password] of [
      ['alice', 'wrong password!'],
      ['nobody', PASSWORD],
      ['mallory', PASSWORD],
    ] as const) {
      const auth = await authorizeWithPassword({ issuer: served.issuer, username, password, resource: adminApi });
      expect(auth.code).toBeUndefined();
      expect(auth.status).toBe(401);
      expect(auth.page).toContain('Invalid username or password.');
      pages.push((auth.page ?? '').replace(/(value|action)="[^"]*"/g, ''));
    }
    expect(new Set(pages).size).toBe(1);
  });

  it('renders the login page safely: CSP, no framing, escaped input, CSRF-checked', async () => {
    const jar = new CookieJar();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: 'gatehouse-cli',
      redirect_uri: 'http://127.0.0.1:5555/callback',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const start = await fetch(`${served.issuer}/auth?${params}`, { redirect: 'manual' });
    jar.store(start);
    expect(start.status).toBe(303);
    const pageUrl = new URL(start.headers.get('location') as string, served.issuer).href;
    expect(pageUrl).toMatch(new RegExp(`^${served.base}/oauth/interaction/`));
    const page = await fetch(pageUrl, { headers: { cookie: jar.header() } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!127)/);

    const post = (body: Record<string, string>, cookie = jar.header()) =>
      fetch(pageUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(body).toString(),
      });
    expect((await post({ csrf: 'forged', username: 'alice', password: PASSWORD })).status).toBe(403);
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] as string;
    expect((await post({ csrf, username: 'alice', password: PASSWORD }, '')).status).toBe(400);
    const xss = await post({ csrf, username: '<script>alert(1)</script>', password: 'x' });
    expect(xss.status).toBe(401);
    const xssHtml = await xss.text();
    expect(xssHtml).not.toContain('<script>');
    expect(xssHtml).toContain('&#60;script&#62;');
    expect((await post({ csrf, username: 'alice', password: PASSWORD })).status).toBe(303);
  });

  it('answers an unknown interaction with an error page, not a crash', async () => {
    const res = await fetch(`${served.issuer}/interaction/doesnotexist`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
  });
});

describe('PKCE', () => {
  it('refuses the plain method and a missing challenge', async () => {
    const plain = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      resource: adminApi,
      codeChallenge: 'a'.repeat(43),
      codeChallengeMethod: 'plain',
    });
    expect(plain.code).toBeUndefined();
    expect(plain.error).toBe('invalid_request');

    const missing = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      resource: adminApi,
      codeChallenge: null,
      codeChallengeMethod: null,
    });
    expect(missing.code).toBeUndefined();
    expect(missing.error).toBe('invalid_request');
  });

  it('refuses the code exchange with the wrong verifier', async () => {
    const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: adminApi });
    const { status, body } = await tokenRequest(served.issuer, {
      grant_type: 'authorization_code',
      code: auth.code as string,
      redirect_uri: auth.redirectUri,
      code_verifier: randomBytes(32).toString('base64url'),
      client_id: 'gatehouse-cli',
      resource: adminApi,
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });
});

describe('refresh tokens', () => {
  it('yields a new access token (and rotates the refresh token)', async () => {
    const first = await loginWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: adminApi });
    const { status, body } = await tokenRequest(served.issuer, {
      grant_type: 'refresh_token',
      refresh_token: first.refreshToken as string,
      client_id: 'gatehouse-cli',
    });
    expect(status).toBe(200);
    expect(body.access_token).not.toBe(first.accessToken);
    expect(body.refresh_token).toEqual(expect.any(String));
    expect((await verifier().verify(body.access_token as string, adminApi)).subject).toBe('usr_alice');
  });

  it('stops working when the user is disabled', async () => {
    await addUser('usr_bob', 'bob');
    const { refreshToken } = await loginWithPassword({ issuer: served.issuer, username: 'bob', password: PASSWORD, resource: adminApi });
    await database.db.updateTable('users').set({ disabled: 1 }).where('id', '=', 'usr_bob').execute();
    const { status, body } = await tokenRequest(served.issuer, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken as string,
      client_id: 'gatehouse-cli',
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });
});

describe('client credentials (service accounts)', () => {
  it('issues a token whose subject is the client id', async () => {
    const token = await clientCredentialsToken({ issuer: served.issuer, clientId: 'sa_ci', clientSecret: 'sa-secret-value-1234567890', resource: adminApi });
    expect(decodeJwt(token)).toMatchObject({ sub: 'sa_ci', client_id: 'sa_ci', gh_kind: 'service', name: 'ci-deployer', aud: adminApi, iss: served.issuer });
    expect(await verifier().verify(token, adminApi)).toMatchObject({ subject: 'sa_ci', kind: 'service', name: 'ci-deployer', clientId: 'sa_ci' });
    await expectInvalidToken(verifier().verify(token, managementMcp));
  });

  it('accepts client_secret_post and defaults the resource to the admin API', async () => {
    const { status, body } = await tokenRequest(served.issuer, {
      grant_type: 'client_credentials',
      client_id: 'sa_ci',
      client_secret: 'sa-secret-value-1234567890',
    });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string).aud).toBe(adminApi);
  });

  it('refuses a wrong secret with 401 invalid_client', async () => {
    const { status, body } = await tokenRequest(
      served.issuer,
      { grant_type: 'client_credentials', resource: adminApi },
      { clientId: 'sa_ci', clientSecret: 'wrong-secret' },
    );
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('refuses a resource that is not in the allowed list', async () => {
    const { status, body } = await tokenRequest(
      served.issuer,
      { grant_type: 'client_credentials', resource: `${served.base}/somewhere-else` },
      { clientId: 'sa_ci', clientSecret: 'sa-secret-value-1234567890' },
    );
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_target');
    const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: 'https://example.com/api' });
    expect(auth.code).toBeUndefined();
    expect(auth.error).toBe('invalid_target');
  });

  it('stops issuing tokens as soon as the service account row is gone', async () => {
    await addServiceAccount('sa_temp', 'temp', 'temp-secret-value-123456');
    const args = { issuer: served.issuer, clientId: 'sa_temp', clientSecret: 'temp-secret-value-123456', resource: adminApi };
    await clientCredentialsToken(args);
    await database.db.deleteFrom('resources').where('id', '=', 'sa_temp').execute();
    const { status, body } = await tokenRequest(
      served.issuer,
      { grant_type: 'client_credentials', resource: adminApi },
      { clientId: args.clientId, clientSecret: args.clientSecret },
    );
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('does not let a service account use the browser flow', async () => {
    const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, clientId: 'sa_ci', resource: adminApi });
    expect(auth.code).toBeUndefined();
    expect(auth.error).toBe('invalid_redirect_uri');
    expect(auth.page).toContain('invalid_redirect_uri');
  });
});

describe('persistence', () => {
  it('keeps state across a restart: a refresh token issued before still works, with the same keys', async () => {
    const before = await loginWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: adminApi });
    const port = Number(new URL(served.base).port);
    const kids = served.server.jwks().keys.map((k) => k.kid);
    await served.close();
    served = await serveAuthorizationServer({ db: database.db, secrets, port });
    expect(served.server.jwks().keys.map((k) => k.kid)).toEqual(kids);
    expect((await verifier().verify(before.accessToken, adminApi)).subject).toBe('usr_alice');
    const { status, body } = await tokenRequest(served.issuer, {
      grant_type: 'refresh_token',
      refresh_token: before.refreshToken as string,
      client_id: 'gatehouse-cli',
    });
    expect(status).toBe(200);
    expect((await verifier().verify(body.access_token as string, adminApi)).subject).toBe('usr_alice');
  });
});
