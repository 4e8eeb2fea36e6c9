import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** Stores already-sealed secret material for an owner, replacing any previous one. */
export async function putSecret(db: Kysely<DB>, ownerType: string, ownerId: string, ciphertext: string): Promise<void> {
  await db
    .insertInto('secrets')
    .values({ owner_type: ownerType, owner_id: ownerId, ciphertext, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id']).doUpdateSet({ ciphertext }))
    .execute();
}

export async function getSecret(db: Kysely<DB>, ownerType: string, ownerId: string): Promise<string | undefined> {
  const row = await db.selectFrom('secrets').select('ciphertext').where('owner_type', '=', ownerType).where('owner_id', '=', ownerId).executeTakeFirst();
  return row?.ciphertext;
}

export async function deleteSecret(db: Kysely<DB>, ownerType: string, ownerId: string): Promise<void> {
  await db.deleteFrom('secrets').where('owner_type', '=', ownerType).where('owner_id', '=', ownerId).execute();
}
