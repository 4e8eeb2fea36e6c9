import type { Kysely } from 'kysely';
import type { DB, McpConnectionTable } from '../schema.js';

export type McpConnectionRow = McpConnectionTable;

/** One person's connection to one upstream server, or undefined. */
export async function getConnection(db: Kysely<DB>, serverId: string, subject: string): Promise<McpConnectionRow | undefined> {
  return db.selectFrom('mcp_connections').selectAll().where('server_id', '=', serverId).where('subject', '=', subject).executeTakeFirst();
}

/** Stores (or replaces) a connection. */
export async function putConnection(db: Kysely<DB>, row: McpConnectionRow): Promise<void> {
  await db
    .insertInto('mcp_connections')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['server_id', 'subject'])
        .doUpdateSet({ username: row.username, sealed: row.sealed, scope: row.scope, expires_at: row.expires_at, updated_at: row.updated_at }),
    )
    .execute();
}

/** Replaces the tokens of a connection only if it is still the one read at `updatedAt` (another node may have refreshed it); true when written. */
export async function replaceTokens(
  db: Kysely<DB>,
  serverId: string,
  subject: string,
  updatedAt: string,
  next: Pick<McpConnectionRow, 'sealed' | 'expires_at' | 'scope' | 'updated_at'>,
): Promise<boolean> {
  const done = await db
    .updateTable('mcp_connections')
    .set(next)
    .where('server_id', '=', serverId)
    .where('subject', '=', subject)
    .where('updated_at', '=', updatedAt)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

export async function listConnections(db: Kysely<DB>, filter: { serverId?: string; subject?: string }): Promise<McpConnectionRow[]> {
  let q = db.selectFrom('mcp_connections').selectAll();
  if (filter.serverId !== undefined) q = q.where('server_id', '=', filter.serverId);
  if (filter.subject !== undefined) q = q.where('subject', '=', filter.subject);
  return q.orderBy('server_id').orderBy('subject').execute();
}

/** Deletes connections: one, all of a server, or all of a person; returns how many. */
export async function deleteConnections(db: Kysely<DB>, filter: { serverId?: string; subject?: string }): Promise<number> {
  if (filter.serverId === undefined && filter.subject === undefined) throw new Error('deleteConnections needs a filter');
  let q = db.deleteFrom('mcp_connections');
  if (filter.serverId !== undefined) q = q.where('server_id', '=', filter.serverId);
  if (filter.subject !== undefined) q = q.where('subject', '=', filter.subject);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}
