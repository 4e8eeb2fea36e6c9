import type { Kysely } from 'kysely';
import type { Profile } from '../core/index.js';
import { ResourceRepository } from '../store/repositories/resources.js';
import type { DB } from '../store/schema.js';

const profiles = new ResourceRepository<Omit<Profile, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('profiles');
const clients = new ResourceRepository<{ name: string; status: string }>('clients');

/** A profile a person may sign in to the Gateway MCP as, named for the consent page. */
export interface SignInChoice {
  profileId: string;
  clientId: string;
  label: string;
}

/** The profiles that name this person (by username or subject) among their sign-in users, of active clients. */
export async function signInChoices(db: Kysely<DB>, account: { id: string; username: string }): Promise<SignInChoice[]> {
  const mine = (await profiles.all(db)).filter((p) => (p.signInUsers ?? []).some((u) => u === account.username || u === account.id));
  const out: SignInChoice[] = [];
  for (const p of mine) {
    const client = await clients.get(db, p.clientId);
    if (client?.status === 'active') out.push({ profileId: p.id, clientId: p.clientId, label: `${client.name} — ${p.name}` });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
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
