import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../src/core/errors.js';
import { createAuthorizationServer } from '../../src/identity/authorization-server.js';
import { MANAGEMENT_SCOPE } from '../../src/identity/index.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { createLocalVerifier } from '../../src/identity/token-verifier.js';
import { insertUser } from '../../src/store/repositories/users.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { authorizeWithPassword, CookieJar, pkcePair, registerClient, serveAuthorizationServer, tokenRequest } from '../support/oauth.js';

const PASSWORD = 'correct horse battery staple';
const secrets = new SecretBox(randomBytes(32));
let database: TestDatabase;
let served: Awaited<ReturnType<typeof serveAuthorizationServer>>;
let adminApi: string;
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
  served = await serveAuthorizationServer({ db: database.db, secrets });
  [adminApi, managementMcp] = served.resources as [string, string];
});

afterAll(async () => {
  await served?.close();
  await database?.drop();
});

const verifier = () => createLocalVerifier({ issuer: served.issuer, jwks: () => served.server.jwks() });

async function exchange(auth: { code?: string; redirectUri: string; verifier: string }, clientId: string, resource?: string) {
  return tokenRequest(served.issuer, {
    grant_type: 'authorization_code',
    code: auth.code as string,
    redirect_uri: auth.redirectUri,
    code_verifier: auth.verifier,
    client_id: clientId,
    ...(resource ? { resource } : {}),
  });
}

describe('authorization server metadata (RFC 8414)', () => {
  it('advertises registration, the management scope, S256, CIMD, code only, iss and public clients', async () => {
    const res = await fetch(`${served.base}/.well-known/oauth-authorization-server/oauth`);
    expect(res.headers.get('content-type')).toContain('application/json');
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: served.issuer,
      registration_endpoint: `${served.issuer}/reg`,
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      response_types_supported: ['code'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining([MANAGEMENT_SCOPE, 'offline_access', 'openid']));
    expect(doc.grant_types_supported).not.toContain('implicit');
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['none', 'client_secret_basic', 'client_secret_post']));
  });
});

describe('management scope', () => {
  it('is issued for the management resource when asked for, and the verifier carries it', async () => {
    const auth = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      resource: managementMcp,
      scope: `openid ${MANAGEMENT_SCOPE}`,
    });
    expect(auth.iss).toBe(served.issuer);
    const { status, body } = await exchange(auth, 'gatehouse-cli', managementMcp);
    expect(status).toBe(200);
    expect(body.scope).toContain(MANAGEMENT_SCOPE);
    const verified = await verifier().verify(body.access_token as string, managementMcp);
    expect(verified.scopes).toEqual([MANAGEMENT_SCOPE]);
    expect(verified.audience).toEqual([managementMcp]);
  });

  it('targets the management resource when the client asks for the scope but names no resource', async () => {
    const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, scope: MANAGEMENT_SCOPE });
    const { body } = await exchange(auth, 'gatehouse-cli');
    expect(decodeJwt(body.access_token as string)).toMatchObject({ aud: managementMcp, scope: MANAGEMENT_SCOPE });
  });

  it('is the default when an MCP client sends no scope for the management resource (OAuth 2.1 default scope)', async () => {
    const auth = await authorizeWithPassword({ issuer: served.issuer, username: 'alice', password: PASSWORD, resource: managementMcp, scope: '' });
    expect(auth.code).toEqual(expect.any(String));
    const { body } = await exchange(auth, 'gatehouse-cli', managementMcp);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ aud: managementMcp, scope: MANAGEMENT_SCOPE });
  });

  it('is not put in admin API tokens, and an admin API token is refused at the management resource', async () => {
    const auth = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      resource: adminApi,
      scope: `openid ${MANAGEMENT_SCOPE}`,
    });
    const { body } = await exchange(auth, 'gatehouse-cli', adminApi);
    const token = body.access_token as string;
    expect(decodeJwt(token).aud).toBe(adminApi);
    expect((await verifier().verify(token, adminApi)).scopes).toEqual([]);
    const err = await verifier()
      .verify(token, managementMcp)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(GatehouseError);
    expect((err as GatehouseError).message).toMatch(/not for this resource/);
  });
});

describe('consent', () => {
  const redirectUri = 'http://127.0.0.1:45999/cb';
  let clientId: string;
  beforeAll(async () => {
    const { body } = await registerClient(served.issuer, { client_name: 'Third <Party>', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' });
    clientId = body.client_id as string;
  });

  it('names the client, redirect URI and scopes, carries a CSRF token and cannot be framed', async () => {
    const auth = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      clientId,
      redirectUri,
      resource: managementMcp,
      scope: MANAGEMENT_SCOPE,
    });
    expect(auth.code).toBeUndefined();
    const page = auth.consentPage as string;
    expect(page).toContain('Third &#60;Party&#62;');
    expect(page).toContain(clientId);
    expect(page).toContain(redirectUri);
    expect(page).toContain(MANAGEMENT_SCOPE);
    expect(page).toMatch(/name="csrf" value="[^"]{20,}"/);
    expect(auth.consentHeaders?.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(auth.consentHeaders?.get('x-frame-options')).toBe('DENY');
  });

  it('sends access_denied back to the client when the user denies', async () => {
    const auth = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      clientId,
      redirectUri,
      resource: managementMcp,
      scope: MANAGEMENT_SCOPE,
      consent: 'deny',
    });
    expect(auth.code).toBeUndefined();
    expect(auth.error).toBe('access_denied');
    expect(auth.iss).toBe(served.issuer);
  });

  it('remembers an allowed grant: the same user and web client are not asked again', async () => {
    const webRedirect = 'https://app.example.com/cb';
    const web = (await registerClient(served.issuer, { client_name: 'Web app', redirect_uris: [webRedirect], token_endpoint_auth_method: 'none' })).body
      .client_id as string;
    const jar = new CookieJar();
    const asked = {
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      clientId: web,
      redirectUri: webRedirect,
      resource: managementMcp,
      scope: MANAGEMENT_SCOPE,
      jar,
    };
    const first = await authorizeWithPassword({ ...asked, consent: 'allow' });
    expect(first.consentPage).toBeDefined();
    expect(first.code).toEqual(expect.any(String));
    const second = await authorizeWithPassword(asked);
    expect(second.consentPage).toBeUndefined();
    expect(second.code).toEqual(expect.any(String));
    const { body } = await exchange(second, web, managementMcp);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ aud: managementMcp, scope: MANAGEMENT_SCOPE, sub: 'usr_alice' });
  });

  it('asks again every time for a native client (loopback redirect), which any local program could pretend to be (RFC 8252 §8.6)', async () => {
    const jar = new CookieJar();
    const first = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      clientId,
      redirectUri,
      resource: managementMcp,
      scope: MANAGEMENT_SCOPE,
      consent: 'allow',
      jar,
    });
    expect(first.code).toEqual(expect.any(String));
    const second = await authorizeWithPassword({
      issuer: served.issuer,
      username: 'alice',
      password: PASSWORD,
      clientId,
      redirectUri,
      resource: managementMcp,
      scope: MANAGEMENT_SCOPE,
      jar,
    });
    expect(second.consentPage).toBeDefined();
    expect(second.code).toBeUndefined();
  });
});

describe('cookies under an https issuer', () => {
  it('uses __Host- for the session and __Secure- for the path-bound interaction cookies, all Secure', async () => {
    const issuer = 'https://gateway.example.com/oauth';
    const as = await createAuthorizationServer({
      db: database.db,
      secrets,
      issuer,
      resources: ['https://gateway.example.com/admin/api/v1'],
      defaultResource: 'https://gateway.example.com/admin/api/v1',
    });
    const listener = createServer((req, res) => void as.handle(req, res));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const local = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
      const { challenge } = pkcePair();
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: 'gatehouse-cli',
        redirect_uri: 'http://127.0.0.1:5555/callback',
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const res = await fetch(`${local}/oauth/auth?${params}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const cookies = res.headers.getSetCookie();
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) {
        expect(cookie).toMatch(/^__(Host|Secure)-gh_/);
        expect(cookie.toLowerCase()).toContain('; secure');
        if (cookie.startsWith('__Host-')) expect(cookie).toMatch(/; path=\/(;|$)/);
      }
      expect(cookies.some((c) => c.startsWith('__Secure-gh_interaction='))).toBe(true);

      // Signing in sets the session cookie, which is host-bound.
      const jar = new CookieJar();
      jar.store(res);
      const pagePath = new URL(res.headers.get('location') as string, issuer).pathname;
      const page = await fetch(`${local}${pagePath}`, { headers: { cookie: jar.header() } });
      const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] as string;
      const login = await fetch(`${local}${pagePath}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
        body: new URLSearchParams({ csrf, username: 'alice', password: PASSWORD }).toString(),
      });
      jar.store(login);
      const resumed = await fetch(`${local}${new URL(login.headers.get('location') as string, issuer).pathname}`, {
        redirect: 'manual',
        headers: { cookie: jar.header() },
      });
      const session = resumed.headers.getSetCookie().find((c) => c.startsWith('__Host-gh_session='));
      expect(session).toBeDefined();
      expect(session).toMatch(/; path=\/;/);
      expect(session?.toLowerCase()).toContain('; secure');
      expect(session?.toLowerCase()).not.toContain('domain=');
    } finally {
      listener.closeAllConnections();
      listener.close();
    }
  });
});
