import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { isUniqueViolation } from '../unique-violation.js';

/**
 * Marks an assertion's `jti` as redeemed until `expiresAt`; false when it already was (on any
 * node: the primary key of the shared store decides, so two nodes racing on one assertion cannot
 * both win). Expired marks are swept first, a bounded delete on an indexed column.
 */
export async function redeemOnce(db: Kysely<DB>, issuer: string, jti: string, expiresAt: Date, now = new Date()): Promise<boolean> {
  const key = createHash('sha256').update(issuer).update('\0').update(jti).digest('hex');
  await db.deleteFrom('id_jag_replays').where('expires_at', '<', now.toISOString()).execute();
  try {
    await db.insertInto('id_jag_replays').values({ key, expires_at: expiresAt.toISOString() }).execute();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
