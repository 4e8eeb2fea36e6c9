import type { Kysely, Migration } from 'kysely';

/**
 * Token-cost analytics (#53): `mcp_rollups.tokens` sums the o200k_base tokens of what the counted
 * requests showed the model (a tools/call's result, a tools/list's listing), from the request log's
 * `mcpTokens`. Rows written before count 0.
 */
export const mcpTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('mcp_rollups')
      .addColumn('tokens', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
