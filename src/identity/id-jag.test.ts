import { randomUUID } from 'node:crypto';
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { type IdJagIssuer, IdJagRefusal, verifyIdJag } from './id-jag.js';

const { privateKey, publicKey } = await generateKeyPair('ES256');
const idp: IdJagIssuer = { id: 'tidp_1', issuer: 'https://idp.example', allowedClientIds: ['app'], usernameClaim: 'email', enabled: true };
const AS = 'https://gatehouse.example/oauth';
const MCP = 'https://gatehouse.example/mcp/v/team';
const now = Math.floor(Date.now() / 1000);

function sign(over: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  const claims = {
    iss: idp.issuer,
    sub: 'u1',
    email: 'a@example.com',
    aud: AS,
    resource: MCP,
    client_id: 'app',
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    ...over,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'oauth-id-jag+jwt', ...header }).sign(privateKey);
}

const verify = (jwt: string, issuers: IdJagIssuer[] = [idp]) =>
  verifyIdJag(jwt, { audience: AS, clientId: 'app', isResource: (r) => r === MCP, issuers: async () => issuers, keys: async () => async () => publicKey });

async function reason(jwt: Promise<string>, issuers?: IdJagIssuer[]): Promise<string> {
  try {
    await verify(await jwt, issuers);
    return 'accepted';
  } catch (err) {
    return err instanceof IdJagRefusal ? err.reason : String(err);
  }
}

describe('verifyIdJag', () => {
  it('accepts a well-formed grant and reads who and what for', async () => {
    const v = await verify(await sign({ scope: 'a b' }));
    expect(v).toMatchObject({ subject: 'u1', username: 'a@example.com', email: 'a@example.com', resource: MCP, scopes: ['a', 'b'] });
  });

  it('refuses what the profile forbids, each for its own reason', async () => {
    expect(await reason(Promise.resolve('not-a-jwt'))).toBe('malformed');
    expect(await reason(sign({}, { typ: 'at+jwt' }))).toBe('wrong_typ');
    expect(await reason(sign(), [{ ...idp, enabled: false }])).toBe('untrusted_issuer');
    expect(await reason(sign({ iat: now + 600, exp: now + 700 }))).toBe('lifetime');
    expect(await reason(sign({ aud: [AS, 'https://other.example'] }))).toBe('wrong_audience');
    expect(await reason(sign({ resource: undefined }))).toBe('wrong_resource');
    expect(await reason(sign({ jti: undefined }))).toBe('malformed');
    expect(await reason(sign({ email: undefined }))).toBe('no_user');
    expect(await reason(sign(), [{ ...idp, allowedClientIds: [] }])).toBe('client_not_allowed');
    const down = verifyIdJag(await sign(), {
      audience: AS,
      clientId: 'app',
      isResource: () => true,
      issuers: async () => [idp],
      keys: () => Promise.reject(new Error('HTTP 503')),
    });
    await expect(down).rejects.toMatchObject({ reason: 'keys_unavailable' });
  });

  it('never accepts an unsigned grant (alg none)', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${enc({ alg: 'none', typ: 'oauth-id-jag+jwt' })}.${enc({ iss: idp.issuer, sub: 'u1', aud: AS, resource: MCP, client_id: 'app', jti: 'x', iat: now, exp: now + 60 })}.`;
    expect(await reason(Promise.resolve(unsigned))).toBe('bad_signature');
  });
});
