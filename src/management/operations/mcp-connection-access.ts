import type { Kysely } from 'kysely';
import { mayAccess, type VirtualMcp } from '../../core/index.js';
import { listConnections } from '../../store/repositories/mcp-connections.js';
import { findUserById } from '../../store/repositories/users.js';
import type { DB } from '../../store/schema.js';
import { grantsFor } from '../authorize.js';
import type { OperationContext } from '../operation.js';
import { repos } from './repos.js';

/** The upstream servers a person may still act at through the gateway, or why they may act at none. */
export interface PersonReach {
  servers: ReadonlySet<string>;
  /** Set when they reach no server at all for a reason of their own (gone, disabled, no role). */
  lost?: string;
}

type Virtuals = ReadonlyArray<Pick<VirtualMcp, 'upstreamIds' | 'access' | 'published'>>;

/**
 * Which upstream servers a gateway user reaches: those composed by a published virtual server
 * whose access list admits them, provided they exist, are enabled and hold a role (what
 * `/mcp/v/{slug}` checks on every call). People of the built-in identity provider carry no groups,
 * so only bindings and list entries naming them count.
 */
export async function reachOf(db: Kysely<DB>, subject: string, virtuals?: Virtuals): Promise<PersonReach> {
  const user = await findUserById(db, subject);
  if (!user) return { servers: new Set(), lost: 'the user was deleted' };
  if (user.disabled === 1) return { servers: new Set(), lost: 'the user was disabled' };
  const who = { kind: 'user' as const, subject: user.id, name: user.username, groups: [] };
  if ((await grantsFor(db, who)).length === 0) return { servers: new Set(), lost: 'the user holds no role on the gateway' };
  const servers = new Set<string>();
  for (const v of virtuals ?? (await repos.virtualMcps.all(db))) {
    if (v.published && mayAccess(v.access, who)) for (const id of v.upstreamIds) servers.add(id);
  }
  return { servers };
}

/**
 * Ends the connections whose person no longer reaches their server (all people's, or one's) once
 * the change is complete (a declarative apply that moves an upstream from one virtual server to
 * another keeps them), each through `mcp-connections.expire` in the change's transaction, so each
 * is its own audit entry of the change that caused it.
 */
export async function expireUnreachable(ctx: OperationContext, filter: { subject?: string } = {}): Promise<void> {
  ctx.beforeCommit(`expire-unreachable:${filter.subject ?? '*'}`, () => expire(ctx, filter));
}

async function expire(ctx: OperationContext, filter: { subject?: string }): Promise<void> {
  const rows = await listConnections(ctx.db, filter);
  if (rows.length === 0) return;
  const virtuals = await repos.virtualMcps.all(ctx.db);
  const reach = new Map<string, PersonReach>();
  for (const row of rows) {
    let theirs = reach.get(row.subject);
    if (!theirs) {
      theirs = await reachOf(ctx.db, row.subject, virtuals);
      reach.set(row.subject, theirs);
    }
    if (!theirs.servers.has(row.server_id)) await ctx.invoke('mcp-connections.expire', { serverId: row.server_id, subject: row.subject });
  }
}
