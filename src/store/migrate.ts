import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Database } from './database.js';
import { foundation } from './migrations/001_foundation.js';
import { telemetry } from './migrations/002_telemetry.js';
import type { DB } from './schema.js';

const MIGRATIONS: Record<string, Migration> = {
  '001_foundation': foundation,
  '002_telemetry': telemetry,
};

// Any constant works; it only has to be the same on every node.
const PG_MIGRATION_LOCK = 4_172_031_001;

/** Brings the schema up to date; safe when several nodes start at once (a database-wide lock serializes them). */
export async function migrate(database: Database): Promise<string[]> {
  return database.db.connection().execute(async (conn) => {
    if (database.dialect === 'postgres') {
      await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK})`.execute(conn);
      try {
        return await runMigrator(conn);
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

async function runMigrator(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
