import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentFetchError, fetchJsonDocument } from '../../src/identity/cimd-fetch.js';
import { createLocalVerifier } from '../../src/identity/token-verifier.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { insertUser } from '../../src/store/repositories/users.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { authorizeWithPassword, serveAuthorizationServer, tokenRequest } from '../support/oauth.js';

// Client ID Metadata Documents: the client_id is a URL whose document describes the client.
const PASSWORD = 'correct horse battery staple';
const secrets = new SecretBox(randomBytes(32));
let database: TestDatabase;
let permissive: Awaited<ReturnType<typeof serveAuthorizationServer>>;
let strict: Awaited<ReturnType<typeof serveAuthorizationServer>>;
let docs: Server;
let docsBase: string;
let fetches = 0;
const REDIRECT = 'http://127.0.0.1:47123/callback';

function startDocs(): Promise<void> {
  docs = createServer((req, res) => {
    fetches += 1;
    const self = `${docsBase}${req.url}`;
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/client.json':
        return json({ client_id: self, client_name: 'Docs Client', redirect_uris: [REDIRECT], grant_types: ['authorization_code'] });
      case '/other-id.json':
        return json({ client_id: `${docsBase}/client.json`, redirect_uris: [REDIRECT] });
      case '/bad-redirect.json':
        return json({ client_id: self, redirect_uris: ['http://evil.example/cb'] });
      case '/secret.json':
        return json({ client_id: self, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' });
      case '/big.json':
        return json({ client_id: self, redirect_uris: [REDIRECT], padding: 'x'.repeat(70 * 1024) });
      case '/slow.json':
        setTimeout(() => json({ client_id: self, redirect_uris: [REDIRECT] }), 6000).unref();
        return;
      case '/moved.json':
        res.writeHead(302, { location: '/client.json' });
        return res.end();
      case '/text.json':
        res.setHeader('content-type', 'text/plain');
        return res.end(JSON.stringify({ client_id: self, redirect_uris: [REDIRECT] }));
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  return new Promise((resolve) =>
    docs.listen(0, '127.0.0.1', () => {
      docsBase = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

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
  await startDocs();
  permissive = await serveAuthorizationServer({ db: database.db, secrets, allowPrivateCimdHosts: true });
  strict = await serveAuthorizationServer({ db: database.db, secrets });
});

afterAll(async () => {
  await permissive?.close();
  await strict?.close();
  docs?.closeAllConnections();
  docs?.close();
  await database?.drop();
});

const authorize = (issuer: string, clientId: string, resource: string) =>
  authorizeWithPassword({
    issuer,
    username: 'alice',
    password: PASSWORD,
    clientId,
    redirectUri: REDIRECT,
    resource,
    scope: 'gatehouse:management',
    consent: 'allow',
  });

describe('Client ID Metadata Documents', () => {
  it('runs the whole flow for a client known only by its document URL: consent, code, token for the management MCP', async () => {
    const clientId = `${docsBase}/client.json`;
    const mcp = permissive.resources[1] as string;
    const auth = await authorize(permissive.issuer, clientId, mcp);
    expect(auth.consentPage).toContain('Docs Client');
    expect(auth.consentPage).toContain(clientId);
    expect(auth.consentPage).toContain(REDIRECT);
    expect(auth.consentPage).toContain('gatehouse:management');
    expect(auth.code).toEqual(expect.any(String));
    expect(auth.iss).toBe(permissive.issuer);

    const { status, body } = await tokenRequest(permissive.issuer, {
      grant_type: 'authorization_code',
      code: auth.code as string,
      redirect_uri: REDIRECT,
      code_verifier: auth.verifier,
      client_id: clientId,
      resource: mcp,
    });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ aud: mcp, scope: 'gatehouse:management', client_id: clientId });
    const verifier = createLocalVerifier({ issuer: permissive.issuer, jwks: () => permissive.server.jwks() });
    expect((await verifier.verify(body.access_token as string, mcp)).scopes).toEqual(['gatehouse:management']);
    // An authorization-code client gets a refresh token without asking for offline_access.
    expect(body.refresh_token).toEqual(expect.any(String));
  });

  it('caches a fetched document instead of fetching it on every step', async () => {
    const clientId = `${docsBase}/client.json`;
    const before = fetches;
    await authorize(permissive.issuer, clientId, permissive.resources[1] as string);
    expect(fetches).toBe(before);
  });

  it('refuses a loopback document URL under the default configuration (SSRF)', async () => {
    const before = fetches;
    const auth = await authorize(strict.issuer, `${docsBase}/client.json`, strict.resources[1] as string);
    expect(auth.code).toBeUndefined();
    expect(auth.error).toBe('invalid_client');
    expect(fetches).toBe(before);
  });

  it('refuses documents whose client_id differs, whose redirect URIs break the rules, or that want a secret', async () => {
    const reasons = { '/other-id.json': 'different client_id', '/bad-redirect.json': 'redirect_uris', '/secret.json': 'public client' };
    for (const [path, reason] of Object.entries(reasons)) {
      const auth = await authorize(permissive.issuer, `${docsBase}${path}`, permissive.resources[1] as string);
      expect(auth.code, path).toBeUndefined();
      expect(auth.error, path).toBe('invalid_client');
      expect(auth.page, path).toContain(reason);
    }
  });

  it('refuses oversize, redirected, non-JSON and missing documents', async () => {
    for (const path of ['/big.json', '/moved.json', '/text.json', '/missing.json']) {
      const auth = await authorize(permissive.issuer, `${docsBase}${path}`, permissive.resources[1] as string);
      expect(auth.code, path).toBeUndefined();
      expect(auth.error, path).toBe('invalid_client');
    }
  });

  it('gives up on a slow document after 5 seconds', async () => {
    // Answered (before the test's own timeout), not left waiting on the document.
    const auth = await authorize(permissive.issuer, `${docsBase}/slow.json`, permissive.resources[1] as string);
    expect(auth.error).toBe('invalid_client');
  }, 15_000);
});

describe('document fetch', () => {
  const refused = async (url: string, allowPrivateHosts = false): Promise<string> => {
    const err = await fetchJsonDocument(url, { allowPrivateHosts, timeoutMs: 1000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DocumentFetchError);
    return (err as Error).message;
  };

  it('names the reason for each refusal', async () => {
    expect(await refused(`${docsBase}/client.json`)).toMatch(/https/);
    expect(await refused(`https://localhost:${new URL(docsBase).port}/client.json`)).toMatch(/internal address/);
    expect(await refused('https://169.254.169.254/latest/meta-data')).toMatch(/internal address/);
    expect(await refused('https://[::ffff:127.0.0.1]/x')).toMatch(/internal address/);
    expect(await refused('https://10.1.2.3/x')).toMatch(/internal address/);
    expect(await refused('https://user:pw@example.com/x')).toMatch(/credentials/);
    expect(await refused(`${docsBase}/other-id.json`.replace('127.0.0.1', 'example.com'))).toMatch(/https/);
    expect(await refused(`${docsBase}/big.json`, true)).toMatch(/larger than/);
    expect(await refused(`${docsBase}/moved.json`, true)).toMatch(/302.*redirects/);
    expect(await refused(`${docsBase}/text.json`, true)).toMatch(/application\/json/);
    expect(await refused(`${docsBase}/slow.json`, true)).toMatch(/timed out|could not be fetched/);
  });

  it('connects to the vetted address when a host name is allowed', async () => {
    const viaName = `http://localhost:${new URL(docsBase).port}/client.json`;
    expect(await fetchJsonDocument(viaName, { allowPrivateHosts: true })).toMatchObject({ client_name: 'Docs Client' });
  });
});
