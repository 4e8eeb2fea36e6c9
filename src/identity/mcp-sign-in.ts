import type { Kysely } from 'kysely';
import type { Profile } from '../core/index.js';
import { ResourceRepository } from '../store/repositories/resources.js';
import { findUserById } from '../store/repositories/users.js';
import type { DB } from '../store/schema.js';
import { admittedProfiles, type FederatedPerson, federatedPerson, signInIdps } from './federated-accounts.js';

const profiles = new ResourceRepository<Omit<Profile, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('profiles');
const clients = new ResourceRepository<{ name: string; status: string }>('clients');

/** A profile a person may sign in to the Gateway MCP as, named for the consent page. */
export interface SignInChoice {
  profileId: string;
  clientId: string;
  label: string;
}

/**
 * The profiles that name this gateway user (by username or subject) among their sign-in users, of
 * active clients. Profiles people sign in to at an external IdP admit only that IdP's people.
 */
export async function signInChoices(db: Kysely<DB>, account: { id: string; username: string }): Promise<SignInChoice[]> {
  const mine = (await profiles.all(db)).filter((p) => !p.oidcSignIn && (p.signInUsers ?? []).some((u) => u === account.username || u === account.id));
  const out: SignInChoice[] = [];
  for (const p of mine) {
    const client = await clients.get(db, p.clientId);
    if (client?.status === 'active') out.push({ profileId: p.id, clientId: p.clientId, label: `${client.name} — ${p.name}` });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

/** Who an authorization-server account is, and the profiles they may sign in as: a gateway user, or a person of an external IdP. */
export async function accountChoices(
  db: Kysely<DB>,
  accountId: string | undefined,
): Promise<{ username: string; federated?: FederatedPerson; choices: SignInChoice[] } | undefined> {
  if (!accountId) return undefined;
  const person = federatedPerson(accountId);
  if (person) {
    // Admitted at the IdP (the ID token was checked then), and the profile still trusts that IdP.
    const admitted = new Set(await admittedProfiles(db, accountId));
    const choices = (await signInIdps(db))
      .filter((idp) => idp.issuer === person.issuer)
      .flatMap((idp) => idp.profiles.filter((p) => admitted.has(p.profileId)))
      .map(({ profileId, clientId, label }) => ({ profileId, clientId, label }));
    return { username: person.username, federated: person, choices: choices.sort((a, b) => a.label.localeCompare(b.label)) };
  }
  const user = await findUserById(db, accountId);
  if (!user || user.disabled === 1) return undefined;
  return { username: user.username, choices: await signInChoices(db, { id: user.id, username: user.username }) };
}

/** A person's consent on the consent page: this app acts for them as this profile. */
export interface SignInConsent {
  /** The authorization server's grant the app's tokens come from. */
  oidcGrantId: string;
  profileId: string;
  /** The person (their user id) and their username. */
  accountId: string;
  username: string;
  appClientId: string;
  appName: string;
  ip: string | null;
  requestId: string;
}

/**
 * Records a consent as the person's own change through the executor (one governed path: checked
 * again there, and audited with the person as actor); start-up wires it. Throws a GatehouseError
 * when the change is refused.
 */
export type RecordSignIn = (consent: SignInConsent) => Promise<void>;
