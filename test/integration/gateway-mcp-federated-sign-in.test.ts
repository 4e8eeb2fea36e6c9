import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_OPENAPI } from '../../src/demo/orders-api.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { type ExternalIdp, startExternalIdp } from '../support/external-idp.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { MemoryOAuthProvider } from '../support/memory-oauth-provider.js';
import { CookieJar } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// Two stand-in IdPs, each a separate oidc-provider with its own keys: the company IdP the admins
// sign in at (for the second gateway), and a partner's IdP its people sign in to the API catalog at.
const RP_CLIENT = 'gatehouse-rp';
const RP_SECRET = 'rp-secret-0123456789';
let partnerIdp: ExternalIdp;
let adminIdp: ExternalIdp;
let upstream: SampleUpstream;
let t: TestGatehouse;
let external: { gh: RunningGatehouse; db: TestDatabase };
const ids: Record<string, string> = {};

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A browser stand-in over plain HTTP: one cookie jar per origin, redirects followed by hand. */
class Browser {
  readonly #jars = new Map<string, CookieJar>();

  async fetch(url: string, form?: Record<string, string>): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.#jars.get(origin) ?? new CookieJar();
    this.#jars.set(origin, jar);
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    jar.store(res);
    return res;
  }

  /** Follows redirects from `url` (a form post first, when given) to a page, or stops before a URL `stop` matches. */
  async follow(
    url: string,
    stop: (url: string) => boolean,
    form?: Record<string, string>,
  ): Promise<{ url: string; status: number; page: string; stopped: boolean }> {
    let current = url;
    let body = form;
    for (let hop = 0; hop < 20; hop++) {
      if (!body && stop(current)) return { url: current, status: 0, page: '', stopped: true };
      const res = await this.fetch(current, body);
      body = undefined;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        continue;
      }
      return { url: current, status: res.status, page: await res.text(), stopped: false };
    }
    throw new Error('too many redirects');
  }
}

function formOf(page: string, url: string, marker: RegExp): string {
  for (const form of page.split('<form').slice(1)) {
    if (marker.test(form)) return new URL(/action="([^"]+)"/.exec(form)![1]!.replace(/&#38;/g, '&'), url).href;
  }
  throw new Error(`no form matching ${marker} on ${page}`);
}

interface FederatedOutcome {
  /** The authorization code the MCP app got back, when the sign-in went through. */
  code?: string;
  landedAt?: string;
  status: number;
  page: string;
  loginPage: string;
  consentPage?: string;
  /** The browser, signed in at the gateway afterwards. */
  browser: Browser;
}

/**
 * The person's part: the gateway's login page → "Sign in with <IdP>" → the IdP's login and
 * consent → back at the gateway → its consent page (the profile picked) → the app's redirect URI.
 */
async function signInAtIdp(
  app: MemoryOAuthProvider,
  login: string,
  opts: { profile?: string; callback?: (url: URL) => URL; callbackIn?: Browser } = {},
): Promise<FederatedOutcome> {
  const b = new Browser();
  const atApp = (u: string) => u.startsWith(app.redirectUrl);
  const gatewayLogin = await b.follow(app.authorizationUrl!.href, atApp);
  expect(gatewayLogin.status).toBe(200);
  const loginPage = gatewayLogin.page;
  const key = /name="idp" value="([^"]+)"/.exec(loginPage)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(loginPage)?.[1];
  expect(key, loginPage).toBeTruthy();
  const atCallback = (u: string) => u.includes('/oauth/federated/callback');
  const idpLogin = await b.follow(formOf(loginPage, gatewayLogin.url, /name="idp"/), atCallback, { csrf: csrf!, idp: key! });
  expect(idpLogin.page).toContain('name="login"');
  const idpConsent = await b.follow(formOf(idpLogin.page, idpLogin.url, /name="login"/), atCallback, { prompt: 'login', login, password: 'any' });
  const back = idpConsent.stopped ? idpConsent : await b.follow(formOf(idpConsent.page, idpConsent.url, /value="consent"/), atCallback, { prompt: 'consent' });
  expect(back.stopped, back.page).toBe(true);
  const callback = opts.callback ? opts.callback(new URL(back.url)).href : back.url;
  const consent = await (opts.callbackIn ?? b).follow(callback, atApp);
  if (consent.stopped || consent.status !== 200 || !consent.page.includes('name="decision"')) return { ...outcome(consent), loginPage, browser: b };
  const consentCsrf = /name="csrf" value="([^"]+)"/.exec(consent.page)![1]!;
  const profile = opts.profile ?? /name="profile" value="([^"]+)" checked/.exec(consent.page)![1]!;
  const done = await b.follow(formOf(consent.page, consent.url, /name="decision"/), atApp, { csrf: consentCsrf, decision: 'allow', profile });
  return { ...outcome(done), loginPage, consentPage: consent.page, browser: b };
}

function outcome(r: { url: string; status: number; page: string; stopped: boolean }): Omit<FederatedOutcome, 'loginPage' | 'browser'> {
  if (!r.stopped) return { status: r.status, page: r.page };
  const code = new URL(r.url).searchParams.get('code');
  return { status: 302, page: '', landedAt: r.url, ...(code ? { code } : {}) };
}

/** An MCP app that knows only the URL: it is refused, registers, and hands the authorization URL to the person. */
async function newApp(mcpUrl: URL, port: number): Promise<MemoryOAuthProvider> {
  const app = new MemoryOAuthProvider(`http://127.0.0.1:${port}/callback`, { client_name: 'Partner Assistant' });
  const first = new Client({ name: 'assistant', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
  const refused = await first.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app })).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(UnauthorizedError);
  return app;
}

async function connected(mcpUrl: URL, app: MemoryOAuthProvider, landedAt: string): Promise<Client> {
  await new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }).finishAuth(new URL(landedAt).searchParams);
  const client = new Client({ name: 'assistant', version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }));
  return client;
}

async function tool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; data: any }> {
  const res = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text: string }> };
  return { isError: res.isError === true, data: JSON.parse(res.content[0]!.text) };
}

/** The catalog both gateways publish: the shop (reachable as the partner profile) and an internal collection (not). */
async function seedCatalog(run: (op: string, input: unknown) => Promise<any>, issuer: string): Promise<Record<string, string>> {
  const shop = await run('collections.create', { slug: 'shop', name: 'Shop', published: true });
  const internal = await run('collections.create', { slug: 'internal', name: 'Internal', published: true });
  await run('proxies.import-openapi', { collectionId: shop.id, document: ORDERS_OPENAPI, basePath: '/shop/v1', upstreams: [upstream.url] });
  const back = await run('proxies.create', { collectionId: internal.id, name: 'Back office', basePath: '/internal/v1', upstreams: [upstream.url] });
  await run('endpoints.create', { proxyId: back.id, method: 'GET', path: '/orders', summary: 'Back-office orders' });
  const partner = await run('clients.create', { name: 'Partner', collectionIds: [shop.id, internal.id] });
  // Everyone in the IdP's `partners` group may act as the shop profile; frank, by subject, as the internal one.
  const jwt = { issuer, audience: 'api://partner' };
  const shopProfile = await run('profiles.create', {
    clientId: partner.id,
    name: 'partner-shop',
    authType: 'oidc',
    jwt,
    collectionIds: [shop.id],
    oidcSignIn: { clientId: RP_CLIENT, clientSecret: RP_SECRET, requiredClaim: { name: 'groups', value: 'partners' }, displayName: 'Partner SSO' },
  });
  const internalProfile = await run('profiles.create', {
    clientId: partner.id,
    name: 'partner-internal',
    authType: 'oidc',
    jwt: { ...jwt, requiredClaim: { name: 'team', value: 'ops' } },
    collectionIds: [internal.id],
    signInUsers: ['frank'],
    oidcSignIn: { clientId: RP_CLIENT, clientSecret: RP_SECRET },
  });
  return { shop: shop.id, partner: partner.id, shopProfile: shopProfile.id, internalProfile: internalProfile.id };
}

beforeAll(async () => {
  upstream = await startUpstream();
  // The gateways start first: the partner IdP must know their callback URLs.
  t = await startTestGatehouse('sqlite', { oauth: { allowPrivateCimdHosts: true } });
  adminIdp = await startExternalIdp({ clients: [{ clientId: 'platform-bot', clientSecret: 'bot-secret', groups: ['platform-admins'] }] });
  const db = await freshDatabase('sqlite');
  const gh = await startGatehouse({ port: 0, dataDir: db.dataDir, externalIdp: { issuer: adminIdp.issuer, consumerSignIn: true }, logLevel: 'silent' });
  external = { gh, db };
  partnerIdp = await startExternalIdp({
    clients: [],
    users: [
      { login: 'erin', groups: ['partners'] },
      { login: 'frank', groups: ['contractors'] },
      { login: 'grace', groups: ['contractors'] },
    ],
    webClients: [
      {
        clientId: RP_CLIENT,
        clientSecret: RP_SECRET,
        redirectUri: `${t.gh.urls.issuer}/federated/callback`,
        moreRedirectUris: [`${gh.urls.admin}/oauth/federated/callback`],
      },
    ],
  });
  const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'setup', localAdmin: true };
  Object.assign(ids, await seedCatalog((op, input) => t.gh.executor.execute(op as never, input as never, local), partnerIdp.issuer));
  const ext = await seedCatalog((op, input) => gh.executor.execute(op as never, input as never, local), partnerIdp.issuer);
  for (const [k, v] of Object.entries(ext)) ids[`ext.${k}`] = v;
}, 60_000);

afterAll(async () => {
  await t?.close();
  await external?.gh.close();
  await external?.db.drop();
  await partnerIdp?.close();
  await adminIdp?.close();
  await upstream?.close();
});

describe('signing in to the Gateway MCP at the IdP a profile trusts', () => {
  it('keeps the relying-party secret sealed: never returned or audited', async () => {
    const profile = await admin('GET', `/profiles/${ids.shopProfile}`);
    expect(profile.oidcSignIn).toMatchObject({ clientId: RP_CLIENT, displayName: 'Partner SSO', usernameClaim: 'preferred_username' });
    expect(JSON.stringify(profile)).not.toContain(RP_SECRET);
    const audit = await admin('GET', `/audit-logs?action=profiles.create&resourceId=${ids.shopProfile}`);
    expect(audit.items).toHaveLength(1);
    expect(JSON.stringify(audit.items)).not.toContain(RP_SECRET);
    // Only oidc profiles sign people in at an IdP.
    const bad = await call(t.api, t.adminToken, 'POST', '/profiles', { clientId: ids.partner, name: 'x', authType: 'token', oidcSignIn: { clientId: 'x' } });
    expect(bad.status).toBe(400);
  });

  it('a person of the partner IdP connects an MCP app with just the URL and calls tools as the profile their group admits', async () => {
    const mcpUrl = new URL(`${t.gh.urls.proxy}/mcp`);
    const app = await newApp(mcpUrl, 42_001);
    const result = await signInAtIdp(app, 'erin');
    expect(result.loginPage).toContain('Sign in with Partner SSO');
    expect(result.code, result.page).toBeTruthy();
    expect(result.consentPage).toContain('Partner — partner-shop');
    expect(result.consentPage).not.toContain('partner-internal');
    const client = await connected(mcpUrl, app, result.landedAt!);
    expect((await client.listTools()).tools.map((x) => x.name)).toContain('execute_call');
    const cols = await tool(client, 'list_collections');
    expect(JSON.stringify(cols.data)).toContain('shop');
    expect(JSON.stringify(cols.data)).not.toContain('internal');
    const order = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } });
    expect(order.isError, JSON.stringify(order.data)).toBe(false);
    expect(order.data.status).toBe(200);

    // The sign-in is a grant an admin sees (who, at which IdP) and the call is logged as the profile's.
    const grant = (await admin('GET', `/mcp-grants?profileId=${ids.shopProfile}`)).items.find((g: any) => g.appClientId === app.information.client_id);
    expect(grant).toMatchObject({ subject: 'erin', username: 'erin', issuer: partnerIdp.issuer, profileId: ids.shopProfile, clientId: ids.partner });
    const audited = (await admin('GET', `/audit-logs?action=mcp-grants.sign-in&resourceId=${grant.id}`)).items;
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: { name: 'erin', kind: 'user' }, channel: 'mcp', outcome: 'success' });
    let logged: any[] = [];
    for (let i = 0; i < 50 && logged.length === 0; i++) {
      logged = (await admin('GET', '/request-logs?path=/shop/v1/orders/1')).items.filter((r: any) => r.channel === 'mcp');
      if (logged.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(logged[0]).toMatchObject({ clientId: ids.partner, profileId: ids.shopProfile, status: 200 });

    // A consumer token is for the API catalog only.
    const token = app.stored.access_token as string;
    expect((await call(t.api, token, 'GET', '/collections')).status).toBe(401);
    const mgmt = await fetch(`${t.gh.urls.admin}/management/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(mgmt.status).toBe(401);

    // Revoking the grant cuts the app off.
    await admin('DELETE', `/mcp-grants/${grant.id}`);
    await expect(client.listTools()).rejects.toThrow();
    await client.close().catch(() => undefined);
  });

  it('a person named on a profile by subject signs in as that profile', async () => {
    const mcpUrl = new URL(`${t.gh.urls.proxy}/mcp`);
    const app = await newApp(mcpUrl, 42_002);
    const result = await signInAtIdp(app, 'frank', { profile: ids.internalProfile });
    expect(result.code, result.page).toBeTruthy();
    const client = await connected(mcpUrl, app, result.landedAt!);
    const res = await tool(client, 'execute_call', { endpoint: 'GET /internal/v1/orders', params: {} });
    expect(res.isError, JSON.stringify(res.data)).toBe(false);
    // The app keeps working past the access token through refresh, still for the API catalog only.
    const refreshed = await fetch(`${t.gh.urls.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: app.stored.refresh_token, client_id: app.information.client_id }).toString(),
    });
    expect(refreshed.status).toBe(200);
    const fresh = (await refreshed.json()) as { access_token: string };
    expect(JSON.parse(Buffer.from(fresh.access_token.split('.')[1]!, 'base64url').toString('utf8'))).toMatchObject({ aud: mcpUrl.href, name: 'frank' });
    // Taken off the profile, the person's sign-in stops standing on the next call.
    await admin('PATCH', `/profiles/${ids.internalProfile}`, { signInUsers: [] });
    try {
      let refused = false;
      for (let i = 0; i < 20 && !refused; i++) {
        refused = await client.listTools().then(
          () => false,
          () => true,
        );
        if (!refused) await new Promise((r) => setTimeout(r, 50));
      }
      expect(refused).toBe(true);
    } finally {
      await admin('PATCH', `/profiles/${ids.internalProfile}`, { signInUsers: ['frank'] });
    }
    await client.close().catch(() => undefined);
  });

  it('a person no profile admits is told so and no token is issued', async () => {
    const app = await newApp(new URL(`${t.gh.urls.proxy}/mcp`), 42_003);
    const result = await signInAtIdp(app, 'grace');
    expect(result.code).toBeUndefined();
    expect(result.status).toBe(403);
    expect(result.page).toContain('No consumer profile');
  });

  it('a callback whose state is not this sign-in’s is refused', async () => {
    const app = await newApp(new URL(`${t.gh.urls.proxy}/mcp`), 42_004);
    const result = await signInAtIdp(app, 'erin', {
      callback: (u) => {
        u.searchParams.set('state', `${u.searchParams.get('state')}x`);
        return u;
      },
    });
    expect(result.code).toBeUndefined();
    expect(result.status).toBe(400);
    expect(result.page).toContain('expired or is not known');
  });

  it('a callback opened in another browser than the one that started the sign-in is refused', async () => {
    const app = await newApp(new URL(`${t.gh.urls.proxy}/mcp`), 42_005);
    const result = await signInAtIdp(app, 'erin', { callbackIn: new Browser() });
    expect(result.code).toBeUndefined();
    expect(result.status).toBe(400);
  });

  it('the sign-in session reaches the API catalog only: the same browser must sign in again for the admin API', async () => {
    const app = await newApp(new URL(`${t.gh.urls.proxy}/mcp`), 42_006);
    const { code, browser } = await signInAtIdp(app, 'erin');
    expect(code).toBeTruthy();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: 'gatehouse-cli',
      redirect_uri: 'http://127.0.0.1:42007/callback',
      scope: 'openid offline_access',
      resource: t.gh.urls.adminApi,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGKSsw3mWw',
      code_challenge_method: 'S256',
    });
    const next = await browser.follow(`${t.gh.urls.issuer}/auth?${params}`, (u) => u.startsWith('http://127.0.0.1:42007/'));
    expect(next.stopped).toBe(false);
    expect(next.status).toBe(200);
    expect(next.page).toContain('name="password"');
    expect(next.page).not.toContain('Sign in with');
  });

  describe('an ID token that is not the IdP’s answer to this sign-in is refused', () => {
    const cases: Array<[string, (claims: JWTPayload) => Promise<string>, RegExp]> = [
      ['with another nonce', (claims) => partnerIdp.sign({ ...claims, nonce: 'not-this-sign-in' }), /nonce/],
      ['from another issuer', (claims) => partnerIdp.sign({ ...claims, iss: 'http://127.0.0.1:9/another-idp' }), /another issuer/],
      [
        'signed by another key',
        async (claims) => {
          const { privateKey } = await generateKeyPair('RS256');
          return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-key' }).sign(privateKey);
        },
        /signature/,
      ],
      ['issued to another client', (claims) => partnerIdp.sign({ ...claims, aud: 'someone-else' }), /another client/],
    ];
    for (const [label, tamper, message] of cases) {
      it(label, async () => {
        const app = await newApp(new URL(`${t.gh.urls.proxy}/mcp`), 42_010 + cases.findIndex((c) => c[0] === label));
        partnerIdp.tamperIdTokens(tamper);
        try {
          const result = await signInAtIdp(app, 'erin');
          expect(result.code).toBeUndefined();
          expect(result.status).toBe(403);
          expect(result.page).toMatch(message);
        } finally {
          partnerIdp.tamperIdTokens(undefined);
        }
        const grants = (await admin('GET', `/mcp-grants?profileId=${ids.shopProfile}`)).items;
        expect(grants.some((g: any) => g.appClientId === app.information.client_id)).toBe(false);
      });
    }
  });
});

describe('consumer sign-in beside an external admin IdP', () => {
  it('the built-in server serves the Gateway MCP alone; admins still sign in at their IdP', async () => {
    const gh = external.gh;
    const mcpMeta = (await (await fetch(`${gh.urls.proxy}/.well-known/oauth-protected-resource/mcp`)).json()) as any;
    expect(mcpMeta.authorization_servers).toEqual([`${gh.urls.admin}/oauth`]);
    const mgmtMeta = (await (await fetch(`${gh.urls.admin}/.well-known/oauth-protected-resource/management/mcp`)).json()) as any;
    expect(mgmtMeta.authorization_servers).toEqual([adminIdp.issuer]);
    // No token for an admin resource comes out of the consumer server, not even for a registered client.
    const auth = await fetch(`${gh.urls.admin}/oauth/auth?client_id=gatehouse-cli&response_type=code&redirect_uri=http://127.0.0.1/callback&scope=openid`, {
      redirect: 'manual',
    });
    expect(auth.status).toBe(400);
  });

  it('a partner person signs in at the partner IdP and calls tools; the token is not the admin IdP’s and the admin API refuses it', async () => {
    const gh = external.gh;
    const mcpUrl = new URL(`${gh.urls.proxy}/mcp`);
    const app = await newApp(mcpUrl, 42_020);
    const result = await signInAtIdp(app, 'erin');
    expect(result.code, result.page).toBeTruthy();
    const client = await connected(mcpUrl, app, result.landedAt!);
    const order = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } });
    expect(order.isError, JSON.stringify(order.data)).toBe(false);
    const token = app.stored.access_token as string;
    const refused = await fetch(`${gh.urls.adminApi}/collections`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    // The admin IdP's own tokens still work for the admin API.
    const adminToken = await adminIdp.token('platform-bot', gh.urls.adminApi);
    await gh.executor.execute(
      'role-bindings.create',
      { group: 'platform-admins', role: 'viewer' },
      { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'setup', localAdmin: true },
    );
    const grants = await fetch(`${gh.urls.adminApi}/mcp-grants?profileId=${ids['ext.shopProfile']}`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(grants.status).toBe(200);
    expect(((await grants.json()) as any).items[0]).toMatchObject({ username: 'erin', issuer: partnerIdp.issuer });
    await client.close();
  });
});
