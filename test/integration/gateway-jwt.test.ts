import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { type SampleUpstream, start } from '../support/upstream.js';
import { Fixtures, type RunningGateway, startGateway } from './gateway-fixtures.js';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let db: TestDatabase;
let upstream: SampleUpstream;
let gw: RunningGateway;
let idp: Server;
let idpUrl: string;
let rsa: Key;
let ec: Key;
let pemKey: Key;
let jwksProfile: string;
let pemProfile: string;
let oidcProfile: string;
let adminProfile: string;
let discoveryHits = 0;
const AUD = 'orders-api';

function sign(key: Key, alg: string, claims: Record<string, unknown>, opts: { exp?: number | null; kid?: string } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, ...(opts.kid ? { kid: opts.kid } : {}) }).setIssuedAt();
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 300);
  return jwt.sign(key);
}

async function call(token: string, headers: Record<string, string> = {}) {
  const res = await request(`${gw.url}/shop/v1/orders`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const text = await res.body.text();
  return { status: res.statusCode, code: res.statusCode === 200 ? null : JSON.parse(text).error.code, id: String(res.headers['x-request-id']) };
}

beforeAll(async () => {
  const rsaPair = await generateKeyPair('RS256');
  const ecPair = await generateKeyPair('ES256');
  const pemPair = await generateKeyPair('ES256');
  rsa = rsaPair.privateKey;
  ec = ecPair.privateKey;
  pemKey = pemPair.privateKey;
  const jwks = {
    keys: [
      { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPair.publicKey)), kid: 'ec', alg: 'ES256', use: 'sig' },
    ] as JWK[],
  };
  idp = createServer((req, res) => {
    if (req.url === '/oidc/.well-known/openid-configuration') {
      discoveryHits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: `${idpUrl}/oidc`, jwks_uri: `${idpUrl}/jwks.json` }));
    } else if (req.url === '/jwks.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(jwks));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  idpUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

  db = await freshDatabase('sqlite');
  upstream = await start();
  const fx = new Fixtures(db.db);
  const api = await fx.ordersApi([upstream.url]);
  const clientId = await fx.client({ collectionIds: [api.collectionId] });
  jwksProfile = await fx.profile({
    clientId,
    authType: 'jwt',
    jwt: { issuer: idpUrl, jwksUrl: `${idpUrl}/jwks.json`, audience: AUD, algorithms: ['RS256'], clockSkewSeconds: 0 },
  });
  pemProfile = await fx.profile({
    clientId,
    authType: 'jwt',
    jwt: { issuer: 'https://pem.example', publicKey: await exportSPKI(pemPair.publicKey), audience: AUD, algorithms: ['ES256'] },
  });
  // Two profiles trust the OIDC issuer; the role claim decides which one a token maps to.
  oidcProfile = await fx.profile({
    clientId,
    authType: 'oidc',
    jwt: { issuer: `${idpUrl}/oidc`, audience: AUD, requiredClaim: { name: 'role', value: 'partner' } },
  });
  adminProfile = await fx.profile({
    clientId,
    authType: 'oidc',
    jwt: { issuer: `${idpUrl}/oidc`, audience: AUD, requiredClaim: { name: 'role', value: 'admin' } },
  });
  gw = await startGateway(db.db);
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
  idp.closeAllConnections();
  await new Promise((r) => idp.close(r));
  await db.drop();
});

describe('jwt profiles', () => {
  it('accepts a token verified against a JWKS URL and maps it by issuer', async () => {
    const res = await call(await sign(rsa, 'RS256', { iss: idpUrl, aud: AUD, sub: 'svc-1' }, { kid: 'rsa' }));
    expect(res.status).toBe(200);
    const entry = await gw.recorder.find(res.id);
    expect(entry.profileId).toBe(jwksProfile);
    // The request log names the token's subject, marked as a JWT's.
    expect(entry.subject).toBe('jwt:svc-1');
  });

  it('accepts a token verified with a configured PEM public key', async () => {
    const res = await call(await sign(pemKey, 'ES256', { iss: 'https://pem.example', aud: AUD }));
    expect(res.status).toBe(200);
    const entry = await gw.recorder.find(res.id);
    expect(entry.profileId).toBe(pemProfile);
    expect(entry.subject).toBeNull();
  });

  it('refuses wrong audience, unknown issuer, disallowed algorithm, missing exp', async () => {
    expect((await call(await sign(rsa, 'RS256', { iss: idpUrl, aud: 'other' }, { kid: 'rsa' }))).code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    expect((await call(await sign(rsa, 'RS256', { iss: 'https://nobody.example', aud: AUD }, { kid: 'rsa' }))).code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    // Signed by a key the JWKS holds, but with an algorithm the profile does not allow.
    expect((await call(await sign(ec, 'ES256', { iss: idpUrl, aud: AUD }, { kid: 'ec' }))).code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    expect((await call(await sign(rsa, 'RS256', { iss: idpUrl, aud: AUD }, { kid: 'rsa', exp: null }))).code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    // Signed by a key nobody trusts.
    expect((await call(await sign(pemKey, 'ES256', { iss: idpUrl, aud: AUD }))).code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
  });

  it('reports expired tokens as expired', async () => {
    const exp = Math.floor(Date.now() / 1000) - 60;
    expect((await call(await sign(rsa, 'RS256', { iss: idpUrl, aud: AUD }, { kid: 'rsa', exp }))).code).toBe('GATEHOUSE_CREDENTIAL_EXPIRED');
  });

  it('uses X-Profile-ID to pick the profile and refuses a token that does not verify for it', async () => {
    const token = await sign(rsa, 'RS256', { iss: idpUrl, aud: AUD }, { kid: 'rsa' });
    expect((await call(token, { 'x-profile-id': jwksProfile })).status).toBe(200);
    expect((await call(token, { 'x-profile-id': pemProfile })).code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
  });
});

describe('oidc profiles', () => {
  it('discovers the JWKS once and disambiguates profiles by the required claim', async () => {
    const iss = `${idpUrl}/oidc`;
    const partner = await call(await sign(rsa, 'RS256', { iss, aud: AUD, role: 'partner' }, { kid: 'rsa' }));
    expect(partner.status).toBe(200);
    expect((await gw.recorder.find(partner.id)).profileId).toBe(oidcProfile);
    const admin = await call(await sign(ec, 'ES256', { iss, aud: AUD, role: 'admin' }, { kid: 'ec' }));
    expect(admin.status).toBe(200);
    expect((await gw.recorder.find(admin.id)).profileId).toBe(adminProfile);
    expect((await call(await sign(rsa, 'RS256', { iss, aud: AUD, role: 'guest' }, { kid: 'rsa' }))).code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    expect(discoveryHits).toBe(1);
  });
});
