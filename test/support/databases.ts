import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Migration, Migrator, sql } from 'kysely';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/store/database.js';
import { migrate, PG_MIGRATION_LOCK } from '../../src/store/migrate.js';

export const PG_URL = process.env.GATEHOUSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True when PostgreSQL answers; under CI=true its absence is an error, elsewhere tests skip with a line saying so. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true (${PG_URL}): ${String(err)}`);
    console.warn(`SKIP: PostgreSQL not reachable at ${PG_URL}; PostgreSQL tests are skipped`);
    return false;
  }
}

export interface TestDatabase extends Database {
  /** What to pass as GATEHOUSE_DATABASE_URL (+ schema) or data dir to a child process. */
  env: Record<string, string>;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh SQLite database in a temp dir, or a fresh PostgreSQL schema, migrated unless `migrated: false`. */
export async function freshDatabase(dialect: 'sqlite' | 'postgres', { migrated = true } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  if (dialect === 'sqlite') {
    const db = openDatabase({ dataDir });
    if (migrated) await migrate(db);
    return {
      ...db,
      dataDir,
      env: { GATEHOUSE_DATA_DIR: dataDir },
      drop: async () => {
        await db.close().catch(() => {});
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const { databaseSchema: schema, drop: dropOwnSchema } = await freshPostgresSchema();
  const db = openDatabase({ url: PG_URL, dataDir, pgSchema: schema });
  if (migrated) await migrate(db);
  return {
    ...db,
    dataDir,
    env: { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_DATABASE_URL: PG_URL, GATEHOUSE_DATABASE_SCHEMA: schema },
    drop: async () => {
      await db.close().catch(() => {});
      await dropOwnSchema();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new, empty PostgreSQL schema of the test's own (the config fields that select it) and how to drop it. */
export async function freshPostgresSchema(): Promise<{ databaseUrl: string; databaseSchema: string; drop(): Promise<void> }> {
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    databaseUrl: PG_URL,
    databaseSchema: schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await dropSchema(c, schema);
      await c.end();
    },
  };
}

/** The dialects to run a repository suite against: SQLite always, PostgreSQL when reachable. */
export async function dialects(): Promise<Array<'sqlite' | 'postgres'>> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Drops a test schema while no migration is scanning the catalog (see PG_MIGRATION_LOCK). */
export async function dropSchema(client: pg.Client, schema: string): Promise<void> {
  await client.query('select pg_advisory_lock($1)', [PG_MIGRATION_LOCK]);
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [PG_MIGRATION_LOCK]);
  }
}

/** A fresh database brought to an older schema version: only `migrations` run, under the lock schema drops wait on. */
export async function freshDatabaseAt(dialect: 'sqlite' | 'postgres', migrations: Record<string, Migration>): Promise<TestDatabase> {
  const t = await freshDatabase(dialect, { migrated: false });
  const schema = t.env.GATEHOUSE_DATABASE_SCHEMA;
  await t.db.connection().execute(async (conn) => {
    // Without the lock another test's schema drop can land mid-scan (Kysely reads every schema's tables).
    if (dialect === 'postgres') await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK})`.execute(conn);
    try {
      const migrator = new Migrator({ db: conn, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${PG_MIGRATION_LOCK})`.execute(conn);
    }
  });
  return t;
}
