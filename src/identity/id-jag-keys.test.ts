import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustedIssuerKeys } from './id-jag-keys.js';

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
let served: object = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };
let fetches = 0;
const server = createServer((_req, res) => {
  fetches++;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(served));
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('TrustedIssuerKeys', () => {
  it('fetches a loopback IdP’s keys once and verifies with them', async () => {
    const keys = new TrustedIssuerKeys({ allowHttp: true });
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
    const getKey = await keys.keysFor({ issuer: base, jwksUri: `${base}/jwks` });
    expect(await getKey({ alg: 'ES256', kid: 'k1' }, { payload: jwt, signature: '' } as never)).toBeDefined();
    await keys.keysFor({ issuer: base, jwksUri: `${base}/jwks` });
    expect(fetches).toBe(1);
  });

  it('never fetches keys over plain http for an IdP that is not on this machine', async () => {
    const keys = new TrustedIssuerKeys({ allowHttp: true });
    await expect(keys.keysFor({ issuer: 'https://idp.example', jwksUri: `${base}/jwks` })).rejects.toThrow(/https URL/);
  });

  it('refuses a key set that carries private keys', async () => {
    served = { keys: [{ ...(await exportJWK(privateKey)), kid: 'k1' }] };
    const keys = new TrustedIssuerKeys({ allowHttp: true });
    await expect(keys.keysFor({ issuer: base, jwksUri: `${base}/other` })).rejects.toThrow(/private keys/);
  });
});
