import { type Kysely, sql } from 'kysely';
import type { McpServerHealth, UpstreamHealthRow, UpstreamHealthStore } from '../../core/index.js';
import type { DB } from '../schema.js';

/** The later of the stored and the new value of a timestamp column (ISO strings order as time does). */
const later = (column: string) =>
  sql<
    string | null
  >`CASE WHEN mcp_upstream_health.${sql.ref(column)} IS NULL OR excluded.${sql.ref(column)} > mcp_upstream_health.${sql.ref(column)} THEN excluded.${sql.ref(column)} ELSE mcp_upstream_health.${sql.ref(column)} END`;
const newerError = sql<boolean>`mcp_upstream_health.last_error_at IS NULL OR excluded.last_error_at > mcp_upstream_health.last_error_at`;

/**
 * Upstream health in the store, one row per server shared by the cluster: each node writes what it
 * saw, and the latest success, error and re-initialization win whichever node wrote them.
 */
export function storeUpstreamHealth(db: Kysely<DB>): UpstreamHealthStore {
  return {
    async save(rows: readonly UpstreamHealthRow[]) {
      for (const r of rows) {
        await db
          .insertInto('mcp_upstream_health')
          .values({
            server_id: r.serverId,
            last_success_at: r.lastSuccessAt,
            last_error_at: r.lastError?.at ?? null,
            last_error: r.lastError?.message ?? null,
            last_reinitialized_at: r.lastReinitializedAt,
            session: r.session,
            tools_count: r.toolsCount,
            restarts: r.restarts,
            updated_at: r.updatedAt,
          })
          .onConflict((oc) =>
            oc.column('server_id').doUpdateSet({
              last_success_at: later('last_success_at'),
              last_error: sql`CASE WHEN ${newerError} THEN excluded.last_error ELSE mcp_upstream_health.last_error END`,
              last_error_at: later('last_error_at'),
              last_reinitialized_at: later('last_reinitialized_at'),
              session: sql`excluded.session`,
              tools_count: sql`COALESCE(excluded.tools_count, mcp_upstream_health.tools_count)`,
              restarts: sql`COALESCE(excluded.restarts, mcp_upstream_health.restarts)`,
              updated_at: sql`excluded.updated_at`,
            }),
          )
          .execute();
      }
    },
  };
}

/** The health of these servers as stored (servers no node has called yet are absent). */
export async function readUpstreamHealth(db: Kysely<DB>, serverIds: readonly string[]): Promise<Map<string, McpServerHealth>> {
  if (serverIds.length === 0) return new Map();
  const rows = await db.selectFrom('mcp_upstream_health').selectAll().where('server_id', 'in', serverIds).execute();
  return new Map(
    rows.map((r) => [
      r.server_id,
      {
        lastSuccessAt: r.last_success_at,
        lastError: r.last_error_at !== null && r.last_error !== null ? { at: r.last_error_at, message: r.last_error } : null,
        lastReinitializedAt: r.last_reinitialized_at,
        session: r.session as McpServerHealth['session'],
        toolsCount: r.tools_count,
        restarts: r.restarts,
        updatedAt: r.updated_at,
      },
    ]),
  );
}

/** Forgets a deleted server's health. */
export async function deleteUpstreamHealth(db: Kysely<DB>, serverId: string): Promise<void> {
  await db.deleteFrom('mcp_upstream_health').where('server_id', '=', serverId).execute();
}
