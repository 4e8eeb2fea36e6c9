import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthorizationServer, createAuthorizationServer } from '../../src/identity/authorization-server.js';
import { type ProviderApp, startProviderApp } from '../../src/identity/provider-app.js';
import { loadProviderKeys } from '../../src/identity/signing-keys.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

const RECORDER = new URL('../support/record-modules.mjs', import.meta.url).pathname;

interface RawAnswer {
  status: number;
  message: string;
  headers: string[];
  body: string;
}

// Everything of the answer but what node:http adds per connection and time.
function rawRequest(url: string, method: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        const kept: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          if (!['date', 'connection', 'keep-alive'].includes(name.toLowerCase())) kept.push(name, res.rawHeaders[i + 1]!);
        }
        resolve({ status: res.statusCode ?? 0, message: res.statusMessage ?? '', headers: kept, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the public JWKS endpoint without oidc-provider', () => {
  let database: TestDatabase;
  let listener: Server;
  let base: string;
  let lazy: AuthorizationServer;
  let provider: ProviderApp;

  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    const secrets = new SecretBox(randomBytes(32));
    // `/lazy/oauth/jwks` is the lazy server's answer from its keys; `/oauth/jwks` is oidc-provider's own.
    listener = createServer((req, res) => {
      if (req.url?.startsWith('/lazy/')) {
        req.url = req.url.slice('/lazy'.length);
        void lazy.handle(req, res);
      } else void provider(req, res, { path: '/oauth/jwks', inner: '/jwks', query: '' });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const opts = { db: database.db, secrets, issuer: `${base}/oauth`, resources: [`${base}/admin/api/v1`], defaultResource: `${base}/admin/api/v1` };
    lazy = await createAuthorizationServer(opts);
    provider = await startProviderApp(opts, await loadProviderKeys(database.db, secrets));
  });

  afterAll(async () => {
    listener.closeAllConnections();
    await new Promise((resolve) => listener.close(resolve));
    await database.drop();
  });

  it.each([
    ['GET', {}],
    ['GET', { origin: 'https://app.example.com' }],
    ['HEAD', {}],
    ['HEAD', { origin: 'https://app.example.com' }],
  ])('answers %s %j byte for byte as the provider does', async (method, headers: Record<string, string>) => {
    const fromKeys = await rawRequest(`${base}/lazy/oauth/jwks`, method, headers);
    const fromProvider = await rawRequest(`${base}/oauth/jwks`, method, headers);
    expect(fromKeys).toEqual(fromProvider);
    expect(fromProvider.status).toBe(200);
    expect(fromProvider.headers).toContain('application/jwk-set+json; charset=utf-8');
    if (method === 'GET') {
      // And the keys served are those local verification uses.
      expect(JSON.parse(fromKeys.body)).toEqual(lazy.jwks());
      expect(lazy.jwks().keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
      expect(JSON.stringify(lazy.jwks())).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
    }
  });
});

describe('a started gateway loads oidc-provider on first use', { timeout: 90_000 }, () => {
  let database: TestDatabase;
  let recordDir: string;
  let record: string;
  let served: Awaited<ReturnType<typeof spawnServe>>;

  const loaded = () => existsSync(record) && readFileSync(record, 'utf8').includes('/node_modules/oidc-provider/');

  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    recordDir = mkdtempSync(join(tmpdir(), 'gatehouse-modules-'));
    record = join(recordDir, 'modules.txt');
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --import ${RECORDER}`.trim();
    served = await spawnServe(['--port', '0', '--demo'], { ...database.env, RECORD_MODULES: record, NODE_OPTIONS: nodeOptions });
  });

  afterAll(async () => {
    served?.child.kill('SIGTERM');
    if (served && served.child.exitCode === null) await new Promise((resolve) => served.child.once('exit', resolve));
    rmSync(recordDir, { recursive: true, force: true });
    await database.drop();
  });

  it('serves the JWKS and REST calls without it, then discovery and sign-in with it, concurrent first requests included', async () => {
    const issuer = served.summary.urls.issuer as string;
    // The recorder sees the process: the CLI and the gateway's own modules are there.
    expect(readFileSync(record, 'utf8')).toMatch(/\/node\/start\.js\n/);

    const jwks = await fetch(`${issuer}/jwks`);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('content-type')).toBe('application/jwk-set+json; charset=utf-8');
    const keys = ((await jwks.json()) as { keys: Array<{ alg: string }> }).keys;
    expect(keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    const m = /^curl -H 'Authorization: Bearer (\S+)' (\S+)$/.exec(served.summary.demo.curl as string);
    const rest = await fetch(m![2]!, { headers: { authorization: `Bearer ${m![1]}` } });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as unknown[]).length).toBeGreaterThan(0);
    expect(loaded()).toBe(false);

    const origin = new URL(issuer).origin;
    const [rfc8414, oidc] = await Promise.all([fetch(`${origin}/.well-known/oauth-authorization-server`), fetch(`${issuer}/.well-known/openid-configuration`)]);
    expect([rfc8414.status, oidc.status]).toEqual([200, 200]);
    const [a, b] = (await Promise.all([rfc8414.json(), oidc.json()])) as [Record<string, unknown>, Record<string, unknown>];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token`, client_id_metadata_document_supported: true });
    expect(loaded()).toBe(true);

    // A sign-in starts as before: the console's authorization request leads to the login page.
    const authorize = new URL(a.authorization_endpoint as string);
    authorize.search = new URLSearchParams({
      client_id: 'gatehouse-console',
      response_type: 'code',
      redirect_uri: `${origin}/console/callback`,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      scope: 'openid',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    const login = await fetch(new URL(redirect.headers.get('location')!, origin), { headers: { cookie: cookiesOf(redirect) } });
    expect(login.status).toBe(200);
    expect(await login.text()).toMatch(/<form[^>]*method="post"/i);

    // The endpoint served from the keys still answers alike once the provider is there.
    const again = await fetch(`${issuer}/jwks`);
    expect(((await again.json()) as { keys: unknown[] }).keys).toEqual(keys);
  });
});

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
