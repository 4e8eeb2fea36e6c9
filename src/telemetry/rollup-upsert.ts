import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../store/schema.js';
import { MCP_COUNTER_COLUMNS, MCP_GUARDRAIL_KEY, MCP_ROLLUP_KEY, type McpRollupRows } from './mcp-rollups.js';
import { COUNTER_COLUMNS, ROLLUP_KEY, type RollupBatch, TOTAL_KEY } from './rollups.js';

// At most 28 columns a row: 500 rows stay under SQLite's 32,766 bound parameters.
const UPSERT_CHUNK = 500;

function addExcluded<C extends string>(table: string, columns: readonly C[]): Record<C, RawBuilder<number>> {
  return Object.fromEntries(columns.map((col) => [col, sql<number>`${sql.ref(`${table}.${col}`)} + ${sql.ref(`excluded.${col}`)}`])) as Record<
    C,
    RawBuilder<number>
  >;
}

const ADD_ROLLUP = addExcluded('metric_rollups', COUNTER_COLUMNS);
const ADD_TOTAL = addExcluded('metric_totals', [...COUNTER_COLUMNS, 'client_errors', 'server_errors'] as const);
const ADD_MCP = addExcluded('mcp_rollups', MCP_COUNTER_COLUMNS);
const ADD_GUARDRAIL = addExcluded('mcp_guardrail_rollups', ['count'] as const);

/** Adds a batch into the stored rollups and totals (insert, or add to existing counters); call inside the flush transaction. */
export async function upsertRollups(db: Kysely<DB>, batch: RollupBatch): Promise<void> {
  for (let i = 0; i < batch.rollups.length; i += UPSERT_CHUNK) {
    await db
      .insertInto('metric_rollups')
      .values(batch.rollups.slice(i, i + UPSERT_CHUNK))
      .onConflict((oc) => oc.columns([...ROLLUP_KEY]).doUpdateSet(ADD_ROLLUP))
      .execute();
  }
  for (let i = 0; i < batch.totals.length; i += UPSERT_CHUNK) {
    await db
      .insertInto('metric_totals')
      .values(batch.totals.slice(i, i + UPSERT_CHUNK))
      .onConflict((oc) => oc.columns([...TOTAL_KEY]).doUpdateSet(ADD_TOTAL))
      .execute();
  }
}

/** Adds federated-call rollups (src/telemetry/mcp-rollups.ts) into mcp_rollups and mcp_guardrail_rollups; call inside the flush transaction. */
export async function upsertMcpRollups(db: Kysely<DB>, rows: McpRollupRows): Promise<void> {
  for (let i = 0; i < rows.calls.length; i += UPSERT_CHUNK) {
    await db
      .insertInto('mcp_rollups')
      .values(rows.calls.slice(i, i + UPSERT_CHUNK))
      .onConflict((oc) => oc.columns([...MCP_ROLLUP_KEY]).doUpdateSet(ADD_MCP))
      .execute();
  }
  for (let i = 0; i < rows.guardrails.length; i += UPSERT_CHUNK) {
    await db
      .insertInto('mcp_guardrail_rollups')
      .values(rows.guardrails.slice(i, i + UPSERT_CHUNK))
      .onConflict((oc) => oc.columns([...MCP_GUARDRAIL_KEY]).doUpdateSet(ADD_GUARDRAIL))
      .execute();
  }
}
