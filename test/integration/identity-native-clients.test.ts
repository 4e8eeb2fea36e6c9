import { MemoryOAuthProvider } from '../support/memory-oauth-provider.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { browse, pkcePair, registerClient, tokenRequest } from '../support/oauth.js';

/** Native apps (Cursor, VS Code, desktop assistants) and clients that keep running for days. */
let t: TestGatehouse;
let mcp: string;
const ACCESS_TTL = 5;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite', { oauth: { accessTokenTtlSeconds: ACCESS_TTL } });
  mcp = `${t.gh.urls.admin}/management/mcp`;
});
afterAll(async () => t?.close());

/** Signs the admin in for a registered client at `redirectUri` and exchanges the code at the guessed `/token`. */
async function signIn(clientId: string, redirectUri: string) {
  const { verifier, challenge } = pkcePair();
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'gatehouse:management',
    resource: mcp,
    state: 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  // The 2025-03-26 default endpoints a client guesses next to the server: /authorize and /token.
  const outcome = await browse(`${t.gh.urls.admin}/authorize?${params}`, redirectUri, { username: 'admin', password: ADMIN_PASSWORD, consent: 'allow' });
  expect(outcome.code, JSON.stringify({ ...outcome, consentPage: undefined })).toBeTruthy();
  const res = await fetch(`${t.gh.urls.admin}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: outcome.code!,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: clientId,
    }).toString(),
  });
  return { outcome, status: res.status, body: (await res.json()) as Record<string, any> };
}

async function refresh(clientId: string, refreshToken: string) {
  return tokenRequest(t.gh.urls.issuer, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
}

describe('native app redirect URIs', () => {
  it('a client registered with a cursor:// redirect signs in, the consent page saying where the code goes, and gets a refresh token', async () => {
    const redirect = 'cursor://anysphere.cursor-retrieval/oauth/user-gatehouse/callback';
    // Registered like Cursor does: no application_type, no refresh grant named.
    const reg = await registerClient(t.gh.urls.issuer, { client_name: 'Cursor', redirect_uris: [redirect], token_endpoint_auth_method: 'none' });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(reg.body).toMatchObject({ application_type: 'native', grant_types: ['authorization_code', 'refresh_token'] });
    const { outcome, status, body } = await signIn(reg.body.client_id as string, redirect);
    expect(outcome.consentPage).toContain('cursor app on your computer');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.access_token).toEqual(expect.any(String));
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(body.expires_in).toBe(ACCESS_TTL);
  });

  it('a client registered with a vscode:// and a loopback redirect signs in on another loopback port', async () => {
    const reg = await registerClient(t.gh.urls.issuer, {
      client_name: 'Visual Studio Code',
      redirect_uris: ['vscode://vscode.github-authentication/did-authenticate', 'http://127.0.0.1:33418/'],
      token_endpoint_auth_method: 'none',
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const { status, outcome } = await signIn(reg.body.client_id as string, 'http://127.0.0.1:51234/');
    expect(outcome.consentPage).toContain('a program on your computer');
    expect(status).toBe(200);
  });

  it('still refuses schemes that run code or read files, and plain http off loopback', async () => {
    for (const uri of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'http://app.example.com/cb']) {
      const { status } = await registerClient(t.gh.urls.issuer, { redirect_uris: [uri], token_endpoint_auth_method: 'none' });
      expect(status, uri).toBe(400);
    }
  });
});

describe('refresh for authorization-code clients', () => {
  it('rotates on every refresh, and a rotated token used again revokes the whole family', async () => {
    const redirect = 'http://127.0.0.1:40123/callback';
    const reg = await registerClient(t.gh.urls.issuer, { client_name: 'Assistant', redirect_uris: [redirect], token_endpoint_auth_method: 'none' });
    const clientId = reg.body.client_id as string;
    const first = await signIn(clientId, redirect);
    const second = await refresh(clientId, first.body.refresh_token);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    const third = await refresh(clientId, second.body.refresh_token as string);
    expect(third.status).toBe(200);
    // The first token again: reuse. It is refused, and so is the newest one of its family.
    const reused = await refresh(clientId, first.body.refresh_token);
    expect([reused.status, reused.body.error]).toEqual([400, 'invalid_grant']);
    const newest = await refresh(clientId, third.body.refresh_token as string);
    expect([newest.status, newest.body.error]).toEqual([400, 'invalid_grant']);
  });

  it('an SDK client keeps working past the access-token lifetime without a new sign-in', async () => {
    const provider = new MemoryOAuthProvider('http://127.0.0.1:40999/callback', { client_name: 'Long runner' });
    const url = new URL(mcp);
    const probe = new Client({ name: 'long-runner', version: '1.0.0' });
    await probe.connect(new StreamableHTTPClientTransport(url, { authProvider: provider })).catch(() => undefined);
    const outcome = await browse(provider.authorizationUrl!.href, provider.redirectUrl, { username: 'admin', password: ADMIN_PASSWORD, consent: 'allow' });
    await new StreamableHTTPClientTransport(url, { authProvider: provider }).finishAuth(new URL(outcome.landedAt!).searchParams);
    const firstRefresh = provider.stored.refresh_token;
    expect(firstRefresh).toEqual(expect.any(String));

    const client = new Client({ name: 'long-runner', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    // The access token expires (made to now: the verifier allows for clock skew, so waiting out a real one takes a minute);
    // the SDK is refused with invalid_token, refreshes, and retries, with no browser involved.
    provider.stored = { ...provider.stored, access_token: 'expired.access.token' };
    const later = await client.callTool({ name: 'manage_collections', arguments: { action: 'list', params: {} } });
    expect(later.isError).toBeFalsy();
    expect(provider.stored.refresh_token).not.toBe(firstRefresh);
    await client.close();
  });
});

describe('discovery fallbacks', () => {
  it('serves the root metadata documents and the trailing-slash MCP URL', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await fetch(`${t.gh.urls.admin}${path}`);
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as { issuer: string }).issuer).toBe(t.gh.urls.issuer);
    }
    const slash = await fetch(`${mcp}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(slash.status).toBe(401);
    expect(slash.headers.get('www-authenticate')).toContain('resource_metadata=');
    const registered = await fetch(`${t.gh.urls.admin}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/cb'], token_endpoint_auth_method: 'none' }),
    });
    expect(registered.status).toBe(201);
  });

  it('keeps the guessed endpoint paths from proxies', async () => {
    const col = (await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'guesses', name: 'G' })).body;
    const res = await call(t.api, t.adminToken, 'POST', '/proxies', { collectionId: col.id, name: 'T', basePath: '/token', upstreams: ['http://127.0.0.1:9'] });
    expect([res.status, res.body.error.code]).toEqual([422, 'GATEHOUSE_RESERVED_PATH']);
  });
});
