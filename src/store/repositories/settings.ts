import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** Reads one setting (signing keys, cookie keys, key check value, …). */
export async function getSetting(db: Kysely<DB>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Writes a setting only if it is not there yet; returns the value that won (another node may have raced us). */
export async function putSettingOnce(db: Kysely<DB>, key: string, value: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, key)) as string;
}
