import type { Profile } from './profile.js';

/** Whether a profile admits a person of its IdP: named in signInUsers (subject or username), or carrying its required claim. */
export function admitsPerson(
  profile: Pick<Profile, 'signInUsers' | 'oidcSignIn'>,
  person: { subject: string; username: string },
  claims: Record<string, unknown>,
): boolean {
  if ((profile.signInUsers ?? []).some((u) => u === person.subject || u === person.username)) return true;
  const rule = profile.oidcSignIn?.requiredClaim;
  if (!rule) return false;
  const value = claims[rule.name];
  return value === rule.value || (Array.isArray(value) && value.includes(rule.value));
}

/** Whether a profile still lets this federated person's sign-ins stand (checked on every call). */
export function stillAdmits(
  profile: Pick<Profile, 'authType' | 'jwt' | 'signInUsers' | 'oidcSignIn'>,
  person: { issuer: string; subject: string; username: string },
): boolean {
  if (profile.authType !== 'oidc' || !profile.oidcSignIn || profile.jwt?.issuer !== person.issuer) return false;
  // A claim was checked at sign-in; while the profile still admits by claim, the sign-in stands until revoked.
  return profile.oidcSignIn.requiredClaim !== undefined || admitsPerson(profile, person, {});
}
