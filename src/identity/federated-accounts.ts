import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { admitsPerson, type Profile } from '../core/index.js';
import { ResourceRepository } from '../store/repositories/resources.js';
import type { DB } from '../store/schema.js';
import { StoreAdapter } from './oidc-adapter.js';

const profiles = new ResourceRepository<Omit<Profile, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('profiles');
const clients = new ResourceRepository<{ name: string; status: string }>('clients');

const PREFIX = 'fed.';
/** How long the profiles a person was admitted to at the IdP stay choosable on the consent page. */
const ADMISSION_TTL_SECONDS = 30 * 60;
const ADMISSIONS = 'FederatedAdmission';

/** A person signed in at an external IdP: who they are there. */
export interface FederatedPerson {
  issuer: string;
  subject: string;
  username: string;
}

/** An IdP people can sign in at for the Gateway MCP: one relying-party client of one issuer, shared by the profiles that name it. */
export interface SignInIdp {
  /** Stable short key naming it in forms and state. */
  key: string;
  issuer: string;
  clientId: string;
  scope: string;
  usernameClaim: string;
  label: string;
  /** The profiles (and their clients) that trust it, of active clients. */
  profiles: Array<{ profileId: string; clientId: string; label: string; admits: (person: FederatedPerson, claims: Record<string, unknown>) => boolean }>;
}

/**
 * The authorization server's account id for a federated person. It carries who they are (the
 * server alone sets it, after verifying their ID token), so tokens and refreshes need no user row,
 * and it can never equal a local user's id.
 */
export function federatedAccountId(person: FederatedPerson): string {
  return PREFIX + Buffer.from(JSON.stringify([person.issuer, person.subject, person.username])).toString('base64url');
}

/** The person an account id names, when it is a federated one. */
export function federatedPerson(accountId: unknown): FederatedPerson | undefined {
  if (typeof accountId !== 'string' || !accountId.startsWith(PREFIX)) return undefined;
  try {
    const [issuer, subject, username] = JSON.parse(Buffer.from(accountId.slice(PREFIX.length), 'base64url').toString('utf8')) as unknown[];
    if (typeof issuer !== 'string' || typeof subject !== 'string' || typeof username !== 'string') return undefined;
    return { issuer, subject, username };
  } catch {
    return undefined;
  }
}

/** The IdPs people may sign in at, from the `oidc` profiles with `oidcSignIn` of active clients. */
export async function signInIdps(db: Kysely<DB>): Promise<SignInIdp[]> {
  const byKey = new Map<string, SignInIdp>();
  for (const p of await profiles.all(db)) {
    const rp = p.oidcSignIn;
    if (p.authType !== 'oidc' || !rp || !p.jwt) continue;
    const client = await clients.get(db, p.clientId);
    if (client?.status !== 'active') continue;
    const key = idpKey(p.jwt.issuer, rp.clientId);
    let idp = byKey.get(key);
    if (!idp) {
      idp = {
        key,
        issuer: p.jwt.issuer,
        clientId: rp.clientId,
        scope: rp.scope,
        usernameClaim: rp.usernameClaim,
        label: rp.displayName ?? new URL(p.jwt.issuer).host,
        profiles: [],
      };
      byKey.set(key, idp);
    }
    idp.profiles.push({
      profileId: p.id,
      clientId: p.clientId,
      label: `${client.name} — ${p.name}`,
      admits: (person, claims) => admitsPerson(p, person, claims),
    });
  }
  return [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** Remembers the profiles a person was admitted to when their ID token was verified (the consent page offers those). */
export async function recordAdmission(db: Kysely<DB>, accountId: string, profileIds: string[]): Promise<void> {
  await new StoreAdapter(db, ADMISSIONS).upsert(storeId(accountId), { profileIds }, ADMISSION_TTL_SECONDS);
}

/** The profiles a federated person was admitted to at their last sign-in (none once that has expired). */
export async function admittedProfiles(db: Kysely<DB>, accountId: string): Promise<string[]> {
  const found = await new StoreAdapter(db, ADMISSIONS).find(storeId(accountId));
  const ids = found?.profileIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

function idpKey(issuer: string, clientId: string): string {
  return createHash('sha256').update(`${issuer}\n${clientId}`).digest('base64url').slice(0, 16);
}

// Account ids can be long; the store keys by their hash.
function storeId(accountId: string): string {
  return createHash('sha256').update(accountId).digest('base64url');
}
