import type { Kysely } from 'kysely';
import type { Dialect } from './database.js';
import { appendAudit, lockAuditChain } from './repositories/audit.js';
import type { DB } from './schema.js';
import type { SecretBox } from './secret-box.js';

/** What a key rotation re-sealed. */
export interface RotationCount {
  secrets: number;
  settings: number;
}

/** Opens `value` if it is sealed under `box`, else undefined (settings hold sealed and plain values side by side). */
function openIfSealed(box: SecretBox, value: string): string | undefined {
  if (!value.startsWith('v1.')) return undefined;
  try {
    return box.open(value);
  } catch {
    return undefined;
  }
}

/**
 * Re-seals every secret at rest (the secrets table, people's upstream MCP tokens and sealed
 * settings: key check value, signing and cookie keys) from `from` to `to` in one transaction, with an audit entry: all of it moves to
 * the new key, or none. A secret that does not open under `from` fails the whole rotation.
 */
export async function resealAll(
  db: Kysely<DB>,
  dialect: Dialect,
  from: SecretBox,
  to: SecretBox,
  actor: { subject: string; name: string },
): Promise<RotationCount> {
  return db.transaction().execute(async (trx) => {
    await lockAuditChain(trx, dialect);
    let secrets = 0;
    for (const row of await trx.selectFrom('secrets').select(['owner_type', 'owner_id', 'ciphertext']).execute()) {
      const plain = from.open(row.ciphertext);
      await trx
        .updateTable('secrets')
        .set({ ciphertext: to.seal(plain) })
        .where('owner_type', '=', row.owner_type)
        .where('owner_id', '=', row.owner_id)
        .execute();
      secrets++;
    }
    // People's upstream tokens (per-user MCP servers): the row keeps its version, only the seal changes.
    for (const row of await trx.selectFrom('mcp_connections').select(['server_id', 'subject', 'sealed']).execute()) {
      await trx
        .updateTable('mcp_connections')
        .set({ sealed: to.seal(from.open(row.sealed)) })
        .where('server_id', '=', row.server_id)
        .where('subject', '=', row.subject)
        .execute();
      secrets++;
    }
    let settings = 0;
    for (const row of await trx.selectFrom('settings').select(['key', 'value']).execute()) {
      const plain = openIfSealed(from, row.value);
      if (plain === undefined) continue;
      await trx
        .updateTable('settings')
        .set({ value: to.seal(plain), updated_at: new Date().toISOString() })
        .where('key', '=', row.key)
        .execute();
      settings++;
    }
    // Federation's upstream session records are disposable: rather than resealed, they are dropped
    // (each caller's next call opens a new upstream session).
    await trx.deleteFrom('mcp_upstream_sessions').execute();
    await appendAudit(trx, {
      time: new Date().toISOString(),
      actor: { ...actor, kind: 'user' },
      channel: 'cli',
      clientApp: 'gatehouse-cli',
      ip: null,
      action: 'secrets.rotate-key',
      resourceType: 'config',
      resourceId: null,
      outcome: 'success',
      status: 200,
      errorCode: null,
      requestId: null,
      diff: { after: { secrets, settings } },
    });
    return { secrets, settings };
  });
}
