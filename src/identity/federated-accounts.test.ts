import { describe, expect, it } from 'vitest';
import { admitsPerson, stillAdmits } from '../core/index.js';
import { federatedAccountId, federatedPerson } from './federated-accounts.js';

const erin = { issuer: 'https://idp.example', subject: '248289761001', username: 'erin' };
const base = { authType: 'oidc' as const, jwt: { issuer: 'https://idp.example', audience: 'api', algorithms: ['RS256' as const], clockSkewSeconds: 30 } };
const signIn = { clientId: 'rp', scope: 'openid', usernameClaim: 'preferred_username' };

describe('federated accounts', () => {
  it('carries the person in the account id, and nothing else reads as one', () => {
    expect(federatedPerson(federatedAccountId(erin))).toEqual(erin);
    expect(federatedPerson('usr_123')).toBeUndefined();
    expect(federatedPerson('fed.not-json')).toBeUndefined();
    expect(federatedPerson(`fed.${Buffer.from('[1,2,3]').toString('base64url')}`)).toBeUndefined();
  });

  it('admits people a profile names by subject or username, or who carry its required claim', () => {
    expect(admitsPerson({ signInUsers: ['248289761001'], oidcSignIn: signIn }, erin, {})).toBe(true);
    expect(admitsPerson({ signInUsers: ['erin'], oidcSignIn: signIn }, erin, {})).toBe(true);
    const byGroup = { signInUsers: [], oidcSignIn: { ...signIn, requiredClaim: { name: 'groups', value: 'partners' } } };
    expect(admitsPerson(byGroup, erin, { groups: ['staff', 'partners'] })).toBe(true);
    expect(admitsPerson(byGroup, erin, { groups: 'partners' })).toBe(true);
    expect(admitsPerson(byGroup, erin, { groups: ['staff'] })).toBe(false);
    expect(admitsPerson({ signInUsers: [], oidcSignIn: signIn }, erin, { groups: ['partners'] })).toBe(false);
  });

  it('lets a sign-in stand only while the profile still trusts the same IdP and admits the person', () => {
    expect(stillAdmits({ ...base, signInUsers: ['erin'], oidcSignIn: signIn }, erin)).toBe(true);
    expect(stillAdmits({ ...base, signInUsers: [], oidcSignIn: signIn }, erin)).toBe(false);
    expect(stillAdmits({ ...base, signInUsers: ['erin'] }, erin)).toBe(false);
    expect(stillAdmits({ ...base, jwt: { ...base.jwt, issuer: 'https://other.example' }, signInUsers: ['erin'], oidcSignIn: signIn }, erin)).toBe(false);
  });
});
