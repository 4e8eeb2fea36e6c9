import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Database } from './database.js';
import { foundation } from './migrations/001_foundation.js';
import { telemetry } from './migrations/002_telemetry.js';
import { requestId } from './migrations/003_request_id.js';
import { requestLogSegments } from './migrations/004_request_log_segments.js';
import { segmentFormat } from './migrations/005_segment_format.js';
import { rollupChannel } from './migrations/006_rollup_channel.js';
import { mcpUpstreamSessions } from './migrations/007_mcp_upstream_sessions.js';
import { mcpRollups } from './migrations/008_mcp_rollups.js';
import { mcpConnections } from './migrations/009_mcp_connections.js';
import { approvals } from './migrations/010_approvals.js';
import { mcpUpstreamHealth } from './migrations/012_mcp_upstream_health.js';
import { mcpDefinitionsAndAgents } from './migrations/016_mcp_definitions_and_agents.js';
import { mcpCapabilitiesAndGuardrails } from './migrations/017_mcp_capabilities_and_guardrails.js';
import { resourceStamps } from './migrations/020_resource_stamps.js';
import { approvalCalls } from './migrations/021_approval_calls.js';
import { approvalBoundHeaders } from './migrations/025_approval_bound_headers.js';
import { mcpTokens } from './migrations/026_mcp_tokens.js';
import { idJagReplays } from './migrations/022_id_jag_replays.js';
import { jobs } from './migrations/024_jobs.js';
import { signInGroups } from './migrations/027_sign_in_groups.js';
import type { DB } from './schema.js';

const MIGRATIONS: Record<string, Migration> = {
  '001_foundation': foundation,
  '002_telemetry': telemetry,
  '003_request_id': requestId,
  '004_request_log_segments': requestLogSegments,
  '005_segment_format': segmentFormat,
  '006_rollup_channel': rollupChannel,
  '007_mcp_upstream_sessions': mcpUpstreamSessions,
  '008_mcp_rollups': mcpRollups,
  '009_mcp_connections': mcpConnections,
  '010_approvals': approvals,
  '012_mcp_upstream_health': mcpUpstreamHealth,
  '016_mcp_definitions_and_agents': mcpDefinitionsAndAgents,
  '017_mcp_capabilities_and_guardrails': mcpCapabilitiesAndGuardrails,
  '020_resource_stamps': resourceStamps,
  '021_approval_calls': approvalCalls,
  '022_id_jag_replays': idJagReplays,
  '024_jobs': jobs,
  '025_approval_bound_headers': approvalBoundHeaders,
  '026_mcp_tokens': mcpTokens,
  '027_sign_in_groups': signInGroups,
};

// Any constant works; it only has to be the same on every node. Whoever drops schemas in the same
// database takes it too: Kysely scans every schema while migrating and fails if one vanishes mid-scan.
export const PG_MIGRATION_LOCK = 4_172_031_001;

// better-sqlite3 waits for a file lock synchronously, blocking the event loop: handles in one
// process must queue here instead, or the holder could never finish while the waiter spins.
const sqliteQueues = new Map<string, Promise<unknown>>();

/** Brings the schema up to date; safe when several nodes start at once (a database-wide lock serializes them). */
export async function migrate(database: Database): Promise<string[]> {
  if (database.dialect === 'sqlite' && database.file) {
    const key = database.file;
    const run = (sqliteQueues.get(key) ?? Promise.resolve()).catch(() => {}).then(() => migrateLocked(database));
    sqliteQueues.set(key, run);
    try {
      return await run;
    } finally {
      if (sqliteQueues.get(key) === run) sqliteQueues.delete(key);
    }
  }
  return migrateLocked(database);
}

async function migrateLocked(database: Database): Promise<string[]> {
  return database.db.connection().execute(async (conn) => {
    if (database.dialect === 'postgres') {
      await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK})`.execute(conn);
      try {
        // Kysely looks for its own tables in every schema unless told which one is ours.
        const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(conn);
        return await runMigrator(conn, rows[0]?.schema);
      } finally {
        await sql`select pg_advisory_unlock(${PG_MIGRATION_LOCK})`.execute(conn);
      }
    }
    // SQLite runs DDL outside Kysely's transaction; one IMMEDIATE transaction makes it atomic and exclusive.
    await sql`begin immediate`.execute(conn);
    try {
      const applied = await runMigrator(conn);
      await sql`commit`.execute(conn);
      return applied;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

async function runMigrator(db: Kysely<DB>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
