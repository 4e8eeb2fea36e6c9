import type { Kysely } from 'kysely';
import { newId, type Profile } from '../core/index.js';
import { mcpGrants } from '../store/repositories/mcp-grants.js';
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

/** Records (or re-points) the Gateway MCP sign-in that an authorization-server grant stands for. */
export async function saveSignIn(
  db: Kysely<DB>,
  sign: { oidcGrantId: string; choice: SignInChoice; subject: string; username: string; appClientId: string; appName: string },
): Promise<void> {
  const now = new Date().toISOString();
  const value = {
    oidcGrantId: sign.oidcGrantId,
    profileId: sign.choice.profileId,
    clientId: sign.choice.clientId,
    subject: sign.subject,
    username: sign.username,
    appClientId: sign.appClientId,
    appName: sign.appName,
  };
  const keys = { key: sign.oidcGrantId, parentId: sign.choice.profileId };
  const existing = await mcpGrants.getByKey(db, sign.oidcGrantId);
  if (existing) await mcpGrants.update(db, existing, value, keys, now);
  else await mcpGrants.insert(db, newId('mgr'), value, keys, now);
}
