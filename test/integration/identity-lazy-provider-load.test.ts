import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SecretBox } from '../../src/store/secret-box.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { serveAuthorizationServer } from '../support/oauth.js';

// The real provider module, counted, and made to fail on demand: a failed load is the one thing a real server cannot be made to do.
const loads = vi.hoisted(() => ({ started: 0, failNext: 0 }));
vi.mock('../../src/identity/provider-app.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/identity/provider-app.js')>();
  return {
    ...actual,
    startProviderApp: async (...args: Parameters<typeof actual.startProviderApp>) => {
      loads.started++;
      if (loads.failNext > 0) {
        loads.failNext--;
        throw new Error('the provider module is broken');
      }
      return actual.startProviderApp(...args);
    },
  };
});

describe('loading the built-in authorization server on first use', () => {
  let database: TestDatabase;
  let served: Awaited<ReturnType<typeof serveAuthorizationServer>>;
  const failures: unknown[] = [];

  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    served = await serveAuthorizationServer({ db: database.db, secrets: new SecretBox(randomBytes(32)), onLoadFailure: (err) => failures.push(err) });
  });

  afterAll(async () => {
    await served.close();
    await database.drop();
  });

  it('answers the JWKS without loading, a failed load with a clear error, and retries on the next request, once for concurrent ones', async () => {
    const jwks = await fetch(`${served.issuer}/jwks`);
    expect(jwks.status).toBe(200);
    expect(await jwks.json()).toEqual(served.server.jwks());
    // Not the provider's: resolved false without loading it.
    expect(await fetch(`${served.base}/elsewhere`).then((r) => r.status)).toBe(404);
    expect(loads.started).toBe(0);

    loads.failNext = 1;
    const failed = await fetch(`${served.issuer}/.well-known/openid-configuration`, { headers: { 'x-request-id': 'req-lazy-1' } });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await failed.json()).toEqual({
      error: { code: 'GATEHOUSE_NOT_READY', message: 'The authorization server could not be loaded; try again.', requestId: 'req-lazy-1' },
    });
    expect(failures).toEqual([new Error('the provider module is broken')]);
    expect(loads.started).toBe(1);

    const answers = await Promise.all([
      fetch(`${served.issuer}/.well-known/openid-configuration`),
      fetch(`${served.base}/.well-known/oauth-authorization-server`),
      fetch(`${served.base}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 400]);
    const [oidc, rfc8414, token] = (await Promise.all(answers.map((r) => r.json()))) as Array<Record<string, unknown>>;
    expect(oidc).toEqual(rfc8414);
    expect(oidc?.issuer).toBe(served.issuer);
    expect(token?.error).toBe('invalid_request');
    expect(loads.started).toBe(2);
    expect(failures).toHaveLength(1);
  });
});
