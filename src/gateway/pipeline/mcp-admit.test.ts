import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VirtualTarget } from '../../core/index.js';
import { createLocalVerifier, type VerifiedToken } from '../../identity/token-verifier.js';
import type { McpSnapshot } from '../snapshot/compile-mcp.js';
import { admitMcp, type McpAdmission, type McpAdmitDeps } from './mcp-admit.js';

const ISSUER = 'https://gw.example/oauth';
const BASE = 'https://gw.example/mcp/v';
let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let deps: McpAdmitDeps<VerifiedToken>;

function server(slug: string, published: boolean, access?: VirtualTarget['access']): VirtualTarget {
  return {
    slug,
    version: 1,
    name: slug,
    description: '',
    published,
    upstreams: [],
    tools: [],
    restTools: [],
    prompts: [],
    resources: [],
    access,
    workflows: [],
  };
}

const SERVERS = new Map<string, VirtualTarget>([
  ['open', server('open', true)],
  ['listed', server('listed', true, { users: ['u_ana'], serviceAccounts: [], groups: ['oncall'] })],
  ['draft', server('draft', false)],
]);

const MCP: McpSnapshot = {
  virtualServers: new Map(),
  signIns: new Map(),
  roleHolders: { subjects: new Set(['u_ana', 'u_bob']), groups: new Set(['staff']) },
  workflowPins: new Map(),
};

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  deps = {
    verifier: createLocalVerifier({ issuer: ISSUER, jwks: () => jwks }),
    resolve: async (slug) => SERVERS.get(slug) ?? null,
    mcp: () => MCP,
    ip: (_headers, peer) => (peer === '::ffff:10.0.0.7' ? '10.0.0.7' : (peer ?? null)),
  };
});

function token(sub: string, aud: string, claims: JWTPayload = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud, sub, iat: now, exp: now + 300, ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' }).sign(key);
}

async function admit(slug: string, bearer?: string): Promise<McpAdmission<VerifiedToken>> {
  const headers = bearer === undefined ? {} : { authorization: `Bearer ${bearer}` };
  return admitMcp(deps, { headers, peer: '::ffff:10.0.0.7', slug, resource: `${BASE}/${slug}` });
}

function refusal(admission: McpAdmission<VerifiedToken>) {
  if (admission.admitted) throw new Error('expected a refusal');
  return { code: admission.error.code, status: admission.error.status, challenge: admission.challenge };
}

describe('admitting a request to a virtual MCP server', () => {
  it('admits a role holder on the access list with the server, the principal and the resolved address', async () => {
    const admission = await admit('listed', await token('u_ana', `${BASE}/listed`));
    expect(admission.admitted).toBe(true);
    if (!admission.admitted) return;
    expect(admission.principal.subject).toBe('u_ana');
    expect(admission.target.slug).toBe('listed');
    expect(admission.ip).toBe('10.0.0.7');
  });

  it('admits by group: a role through a group, the access list through another', async () => {
    const admission = await admit('listed', await token('u_carol', `${BASE}/listed`, { groups: ['staff', 'oncall'] }));
    expect(admission.admitted).toBe(true);
  });

  it('asks for a token when there is none, with a bare challenge', async () => {
    expect(refusal(await admit('open'))).toEqual({ code: 'GATEHOUSE_UNAUTHENTICATED', status: 401, challenge: {} });
    expect(refusal(await admit('open', ''))).toMatchObject({ code: 'GATEHOUSE_UNAUTHENTICATED' });
  });

  it('refuses a token issued for another server (audience) as invalid_token', async () => {
    const other = await token('u_ana', `${BASE}/listed`);
    expect(refusal(await admit('open', other))).toEqual({ code: 'GATEHOUSE_INVALID_TOKEN', status: 401, challenge: { error: 'invalid_token' } });
    expect(refusal(await admit('open', 'not-a-jwt'))).toMatchObject({ code: 'GATEHOUSE_INVALID_TOKEN', challenge: { error: 'invalid_token' } });
  });

  it('refuses a principal without a role on the gateway, before disclosing whether the server exists', async () => {
    expect(refusal(await admit('open', await token('u_eve', `${BASE}/open`)))).toEqual({ code: 'GATEHOUSE_FORBIDDEN', status: 403, challenge: null });
    const unknown = refusal(await admit('nope', await token('u_eve', `${BASE}/nope`)));
    expect(unknown.code).toBe('GATEHOUSE_FORBIDDEN');
  });

  it('refuses a role holder who is not on the access list', async () => {
    const admission = await admit('listed', await token('u_bob', `${BASE}/listed`));
    expect(refusal(admission)).toEqual({ code: 'GATEHOUSE_FORBIDDEN', status: 403, challenge: null });
    expect(admission.admitted === false && admission.error.message).toContain('access list');
  });

  it('answers an unknown and an unpublished server alike: not found', async () => {
    expect(refusal(await admit('nope', await token('u_bob', `${BASE}/nope`)))).toEqual({ code: 'GATEHOUSE_NOT_FOUND', status: 404, challenge: null });
    expect(refusal(await admit('draft', await token('u_bob', `${BASE}/draft`)))).toEqual({ code: 'GATEHOUSE_NOT_FOUND', status: 404, challenge: null });
  });
});
