import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../core/errors.js';
import { createExternalVerifier, createLocalVerifier, type TokenVerifier } from './token-verifier.js';

const RESOURCE = 'https://gw.example/admin/api/v1';
let server: Server;
let issuer: string;
let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let external: TokenVerifier;
let local: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify(jwks));
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  external = await createExternalVerifier({ issuer, allowHttp: true, groupsClaim: 'realm_access.roles' });
  local = createLocalVerifier({ issuer, jwks: () => jwks });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function sign(claims: JWTPayload, opts: { typ?: string; exp?: number; nbf?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ iss: issuer, aud: RESOURCE, iat: now, exp: opts.exp ?? now + 300, ...claims }).setProtectedHeader({
    alg: 'ES256',
    kid: 'k1',
    ...(opts.typ ? { typ: opts.typ } : {}),
  });
  if (opts.nbf) jwt.setNotBefore(opts.nbf);
  return jwt.sign(key);
}

async function refused(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatehouseError);
  expect((err as GatehouseError).code).toBe('GATEHOUSE_INVALID_TOKEN');
  return (err as GatehouseError).message;
}

describe('external verifier', () => {
  it('treats a token with a user as a user, named by preferred_username, with nested groups', async () => {
    const token = await sign({ sub: 'u-123', azp: 'console', preferred_username: 'alice', email: 'a@x', realm_access: { roles: ['ops'] } });
    expect(await external.verify(token, RESOURCE)).toEqual({
      subject: 'u-123',
      name: 'alice',
      kind: 'user',
      groups: ['ops'],
      clientId: 'console',
      scopes: [],
      audience: [RESOURCE],
    });
  });

  it('falls back to name, email and then the subject for the display name', async () => {
    expect((await external.verify(await sign({ sub: 'u1', name: 'Alice A' }), RESOURCE)).name).toBe('Alice A');
    expect((await external.verify(await sign({ sub: 'u1', email: 'a@x' }), RESOURCE)).name).toBe('a@x');
    expect((await external.verify(await sign({ sub: 'u1' }), RESOURCE)).name).toBe('u1');
  });

  it('recognises client-credentials tokens by sub = client id or an explicit marker', async () => {
    expect((await external.verify(await sign({ sub: 'svc', client_id: 'svc' }), RESOURCE)).kind).toBe('service');
    expect((await external.verify(await sign({ sub: 'abc@clients', azp: 'abc', gty: 'client-credentials' }), RESOURCE)).kind).toBe('service');
    expect((await external.verify(await sign({ sub: 'oid-1', idtyp: 'app' }), RESOURCE)).kind).toBe('service');
    expect((await external.verify(await sign({ sub: 'svc', client_id: 'svc', preferred_username: 'svc' }), RESOURCE)).kind).toBe('user');
  });

  it('allows 30 s of clock skew and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await external.verify(await sign({ sub: 'u1' }, { exp: now - 10 }), RESOURCE)).subject).toBe('u1');
    expect(await refused(external.verify(await sign({ sub: 'u1' }, { exp: now - 60 }), RESOURCE))).toMatch(/expired/);
    expect(await refused(external.verify(await sign({ sub: 'u1' }, { nbf: now + 120 }), RESOURCE))).toMatch(/nbf/);
  });

  it('requires a subject and refuses unsigned and symmetric tokens', async () => {
    expect(await refused(external.verify(await sign({}), RESOURCE))).toMatch(/sub/);
    const unsecured = new UnsecuredJWT({ sub: 'u1', iss: issuer, aud: RESOURCE }).setExpirationTime('5m').encode();
    await refused(external.verify(unsecured, RESOURCE));
    const hs = await new SignJWT({ sub: 'u1', iss: issuer, aud: RESOURCE })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough'));
    expect(await refused(external.verify(hs, RESOURCE))).toMatch(/algorithm/);
  });
});

describe('local verifier', () => {
  it('requires the at+jwt type so ID tokens are not accepted as access tokens', async () => {
    expect((await local.verify(await sign({ sub: 'usr_1', name: 'alice', gh_kind: 'user' }, { typ: 'at+jwt' }), RESOURCE)).name).toBe('alice');
    expect(await refused(local.verify(await sign({ sub: 'usr_1' }), RESOURCE))).toMatch(/not an access token/);
    expect(await refused(local.verify(await sign({ sub: 'usr_1' }, { typ: 'JWT' }), RESOURCE))).toMatch(/not an access token/);
  });

  it('reads the kind from gh_kind', async () => {
    const token = await sign({ sub: 'sa_1', client_id: 'sa_1', name: 'ci', gh_kind: 'service' }, { typ: 'at+jwt' });
    expect(await local.verify(token, RESOURCE)).toMatchObject({ subject: 'sa_1', kind: 'service', clientId: 'sa_1' });
  });
});
