import { describe, expect, it } from 'vitest';
import type { Client, Profile } from '../../core/index.js';
import { compileIpMatcher } from '../net/ip-matcher.js';
import type { CompiledProfile, Snapshot } from '../snapshot/types.js';
import type { GatewayCore } from './core.js';
import { personIdentities } from './identify.js';

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

// Inserted out of id order: the answer is in id order whatever the snapshot's.
const SNAPSHOT = {
  profiles: new Map<string, CompiledProfile>([
    ['p_b', compiled('p_b', { signInUsers: ['ana', 'u_ana'] })],
    ['p_a', compiled('p_a', { signInUsers: ['sa_client_1'] })],
    ['p_c', compiled('p_c', { signInUsers: ['u_ana'] })],
    ['p_frozen', compiled('p_frozen', { signInUsers: ['ana'] }, 'suspended')],
    ['p_office', compiled('p_office', { signInUsers: ['ana'] }, 'active', ['192.0.2.0/24'])],
    ['p_idp', compiled('p_idp', { authType: 'oidc', signInUsers: ['ana'], oidcSignIn: {} } as Partial<Profile>)],
  ]),
} as unknown as Snapshot;
const CORE = { snapshots: { current: () => SNAPSHOT } } as unknown as GatewayCore;

const ids = (names: string[], ip: string | null) => personIdentities(CORE, names, ip, 'user:u_ana').map((i) => i.profile!.profile.id);

describe('personIdentities', () => {
  it('answers each profile naming the person by any of their names once, in profile-id order, as credentialed callers', () => {
    expect(ids(['u_ana', 'ana'], '198.51.100.7')).toEqual(['p_b', 'p_c']);
    const [first] = personIdentities(CORE, ['ana'], null, 'user:u_ana');
    expect(first).toMatchObject({ credential: true, ip: null, subject: 'user:u_ana', snapshot: SNAPSHOT });
    expect(ids(['sa_client_1'], null)).toEqual(['p_a']);
  });

  it('leaves out a suspended client, an address outside the allowlist, and profiles whose sign-in is an IdP’s', () => {
    expect(ids(['ana'], '198.51.100.7')).toEqual(['p_b']);
    expect(ids(['ana'], '192.0.2.9')).toEqual(['p_b', 'p_office']);
    expect(ids(['nobody'], null)).toEqual([]);
  });
});
