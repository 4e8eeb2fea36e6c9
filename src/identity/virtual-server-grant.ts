import type { Kysely } from 'kysely';
import { findUserById } from '../store/repositories/users.js';
import type { DB } from '../store/schema.js';
import type { ExchangeSubject } from './token-exchange.js';

/** Who may use which virtual MCP server: resources under `resourcePrefix` plus one slug. */
export interface VirtualServerAccess {
  resourcePrefix: string;
  mayUse(who: ExchangeSubject | ServiceSubject, slug: string): Promise<boolean>;
}

/** A service account, as its client-credentials token names it: the client is the subject. */
export interface ServiceSubject {
  subject: string;
  name: string;
  kind: 'service';
  groups: string[];
  clientId: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The first of `resources` that is a virtual MCP server the account may not use, as its slug; null
 * when every one is allowed (or none is a virtual server). Checked where a token for it would be
 * granted — the consent page, and every token issued (a refresh after the person left the access
 * list too) — so that nobody holds a token the server would refuse at the first call.
 */
export async function refusedVirtualServer(
  db: Kysely<DB>,
  access: VirtualServerAccess,
  accountId: string,
  resources: readonly string[],
  groups: string[] = [],
): Promise<string | null> {
  const slugs = slugsOf(access, resources);
  if (slugs.length === 0) return null;
  const user = await findUserById(db, accountId);
  if (!user) return slugs[0] as string;
  return firstRefused(access, { subject: user.id, name: user.username, kind: 'user', groups }, slugs);
}

/**
 * The same check for a service account's client-credentials token: a service account off a virtual
 * server's access list (or without a role) gets no token for it, not a token refused at the first call.
 */
export async function refusedVirtualServerForService(
  access: VirtualServerAccess,
  clientId: string,
  name: string,
  resources: readonly string[],
): Promise<string | null> {
  const slugs = slugsOf(access, resources);
  if (slugs.length === 0) return null;
  return firstRefused(access, { subject: clientId, name, kind: 'service', groups: [], clientId }, slugs);
}

function slugsOf(access: VirtualServerAccess, resources: readonly string[]): string[] {
  return resources
    .filter((r) => r.startsWith(access.resourcePrefix))
    .map((r) => r.slice(access.resourcePrefix.length))
    .filter((slug) => SLUG.test(slug));
}

async function firstRefused(access: VirtualServerAccess, who: ExchangeSubject | ServiceSubject, slugs: readonly string[]): Promise<string | null> {
  for (const slug of slugs) if (!(await access.mayUse(who, slug))) return slug;
  return null;
}
