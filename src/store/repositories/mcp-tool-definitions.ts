import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** Records the definitions behind pins (a pin already recorded keeps its row: the same hash is the same definition). */
export async function putToolDefinitions(db: Kysely<DB>, defs: ReadonlyArray<{ pin: string; definition: unknown }>, now: string): Promise<void> {
  const rows = [...new Map(defs.map((d) => [d.pin, { pin: d.pin, definition: JSON.stringify(d.definition), created_at: now }])).values()];
  if (rows.length === 0) return;
  await db
    .insertInto('mcp_tool_definitions')
    .values(rows)
    .onConflict((oc) => oc.column('pin').doNothing())
    .execute();
}

/** The recorded definitions of these pins (absent: approved before definitions were recorded, or elsewhere). */
export async function getToolDefinitions(db: Kysely<DB>, pins: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const wanted = [...new Set(pins)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('mcp_tool_definitions').select(['pin', 'definition']).where('pin', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.pin, JSON.parse(r.definition) as Record<string, unknown>]));
}
