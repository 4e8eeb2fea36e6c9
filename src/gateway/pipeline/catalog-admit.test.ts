import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client, Profile } from '../../core/index.js';
import { createLocalVerifier } from '../../identity/token-verifier.js';
import { KeySources } from '../auth/key-sources.js';
import { compileIpMatcher } from '../net/ip-matcher.js';
import type { McpSignIn, McpSnapshot } from '../snapshot/compile-mcp.js';
import type { CompiledProfile, Snapshot } from '../snapshot/types.js';
import { admitCatalog, type CatalogAdmission, type CatalogSignIn } from './catalog-admit.js';
import type { GatewayCore } from './core.js';

const ISSUER = 'https://gw.example/oauth';
const RESOURCE = 'https://gw.example/mcp';
let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signIn: CatalogSignIn;

function compiled(id: string, profile: Partial<Profile>, status = 'active', ip: string[] = []): CompiledProfile {
  return {
    profile: { id, name: id, authType: 'token', ...profile } as Profile,
    client: { id: `cl_${id}`, name: id, status } as Client,
    methods: new Set(),
    ip: ip.length > 0 ? compileIpMatcher(ip) : null,
    collections: new Set(),
    limits: null,
    publicKey: null,
    mtls: null,
  };
}

const PROFILES = new Map<string, CompiledProfile>([
  ['p_ops', compiled('p_ops', { signInUsers: ['ana'] })],
  ['p_idp', compiled('p_idp', { authType: 'oidc', jwt: { issuer: 'https://idp.example' }, signInUsers: ['erin'], oidcSignIn: {} } as Partial<Profile>)],
  ['p_frozen', compiled('p_frozen', { signInUsers: ['ana'] }, 'suspended')],
  ['p_office', compiled('p_office', { signInUsers: ['ana'] }, 'active', ['192.0.2.0/24'])],
]);

const SIGN_INS = new Map<string, McpSignIn>([
  ['g_ops', { profileId: 'p_ops', subject: 'u_ana', username: 'ana' }],
  ['g_dropped', { profileId: 'p_ops', subject: 'u_bob', username: 'bob' }],
  ['g_idp', { profileId: 'p_idp', subject: '2482', username: 'erin', issuer: 'https://idp.example' }],
  ['g_idp_moved', { profileId: 'p_idp', subject: '2482', username: 'erin', issuer: 'https://other-idp.example' }],
  ['g_frozen', { profileId: 'p_frozen', subject: 'u_ana', username: 'ana' }],
  ['g_office', { profileId: 'p_office', subject: 'u_ana', username: 'ana' }],
  ['g_gone', { profileId: 'p_deleted', subject: 'u_ana', username: 'ana' }],
]);

const SNAPSHOT = {
  profiles: PROFILES,
  collections: new Map(),
  mcp: { virtualServers: new Map(), signIns: SIGN_INS, roleHolders: { subjects: new Set(), groups: new Set() }, workflowPins: new Map() } satisfies McpSnapshot,
} as unknown as Snapshot;

// Admitting reads only the live snapshot, the trusted proxies and the JWT key sources of the core.
const CORE = { snapshots: { current: () => SNAPSHOT }, trustedProxies: compileIpMatcher([]), keys: new KeySources() } as unknown as GatewayCore;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  signIn = { issuer: ISSUER, resource: RESOURCE, verifier: createLocalVerifier({ issuer: ISSUER, jwks: () => jwks }) };
});

function token(grant: string | undefined, aud = RESOURCE, claims: JWTPayload = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud, sub: 'u_ana', iat: now, exp: now + 300, ...(grant ? { gh_grant: grant } : {}), ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .sign(key);
}

function admit(bearer: string | undefined, withSignIn = true): Promise<CatalogAdmission> {
  const headers = bearer === undefined ? {} : { authorization: `Bearer ${bearer}` };
  return admitCatalog(CORE, withSignIn ? signIn : null, { headers, peer: '10.0.0.7', clientCert: () => null });
}

function refusal(admission: CatalogAdmission) {
  if (admission.admitted) throw new Error('expected a refusal');
  return { code: admission.error.code, status: admission.error.status, challenge: admission.challenge };
}

describe('admitting a request to the Gateway MCP', () => {
  it('admits a standing sign-in as its profile, acting for the signed-in person, with the caller address', async () => {
    const admission = await admit(await token('g_ops'));
    if (!admission.admitted) throw admission.error;
    expect(admission.identity.profile?.profile.id).toBe('p_ops');
    expect(admission.identity.subject).toBe('user:u_ana');
    expect(admission.identity.ip).toBe('10.0.0.7');
    expect(admission.identity.credential).toBe(true);
  });

  it('admits a federated sign-in while its profile still admits the person at the same IdP', async () => {
    const admission = await admit(await token('g_idp'));
    expect(admission.admitted && admission.identity.profile?.profile.id).toBe('p_idp');
    expect(refusal(await admit(await token('g_idp_moved')))).toEqual({ code: 'GATEHOUSE_INVALID_TOKEN', status: 401, challenge: { error: 'invalid_token' } });
  });

  it('refuses a token for another resource, a revoked grant and a person taken off the profile as invalid tokens (401, invalid_token)', async () => {
    const invalid = { code: 'GATEHOUSE_INVALID_TOKEN', status: 401, challenge: { error: 'invalid_token' } };
    expect(refusal(await admit(await token('g_ops', 'https://gw.example/mcp/v/other')))).toEqual(invalid);
    const revoked = await admit(await token('g_revoked'));
    expect(refusal(revoked)).toEqual(invalid);
    expect(!revoked.admitted && revoked.error.message).toMatch(/revoked/);
    expect(refusal(await admit(await token(undefined)))).toEqual(invalid);
    const dropped = await admit(await token('g_dropped'));
    expect(refusal(dropped)).toEqual(invalid);
    expect(!dropped.admitted && dropped.error.message).toMatch(/no longer lets you sign in/);
  });

  it("checks the sign-in's profile like a credential's: deleted profile, suspended client, address outside the allowlist", async () => {
    expect(refusal(await admit(await token('g_gone')))).toEqual({ code: 'GATEHOUSE_CREDENTIAL_INVALID', status: 401, challenge: {} });
    expect(refusal(await admit(await token('g_frozen')))).toMatchObject({ code: 'GATEHOUSE_CLIENT_SUSPENDED', challenge: null });
    expect(refusal(await admit(await token('g_office')))).toMatchObject({ code: 'GATEHOUSE_IP_DENIED', status: 403, challenge: null });
  });

  it('identifies anything else like REST: no credential is a 401 with a bare challenge, an unknown gateway token is refused', async () => {
    expect(refusal(await admit(undefined))).toEqual({ code: 'GATEHOUSE_CREDENTIAL_MISSING', status: 401, challenge: {} });
    expect(refusal(await admit('ghk_not_a_real_token'))).toMatchObject({ status: 401, challenge: {} });
    // Without sign-in configured, even a token of the issuer is only a (foreign) JWT credential, never a sign-in.
    const foreign = refusal(await admit(await token('g_ops'), false));
    expect(foreign.status).toBe(401);
    expect(foreign.code).not.toBe('GATEHOUSE_INVALID_TOKEN');
  });
});
