import type { Kysely } from 'kysely';
import type { Credential } from '../../core/index.js';
import type { CredentialTable, DB } from '../schema.js';

/** The credential as reads show it: never its hash. */
export function toCredential(row: CredentialTable): Credential {
  return {
    id: row.id,
    profileId: row.profile_id,
    clientId: row.client_id,
    prefix: row.prefix,
    status: row.status as Credential['status'],
    expiresAt: row.expires_at,
    graceUntil: row.grace_until,
    createdAt: row.created_at,
  };
}

export async function listCredentials(db: Kysely<DB>, profileId: string): Promise<Credential[]> {
  const rows = await db.selectFrom('credentials').selectAll().where('profile_id', '=', profileId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toCredential);
}

export async function getCredential(db: Kysely<DB>, id: string): Promise<Credential | undefined> {
  const row = await db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCredential(row) : undefined;
}

export async function insertCredential(db: Kysely<DB>, row: CredentialTable): Promise<Credential> {
  await db.insertInto('credentials').values(row).execute();
  return toCredential(row);
}

/** Marks every active credential of a profile as rotated, working until `graceUntil`. */
export async function rotateActiveCredentials(db: Kysely<DB>, profileId: string, graceUntil: string): Promise<number> {
  const res = await db
    .updateTable('credentials')
    .set({ status: 'rotated', grace_until: graceUntil })
    .where('profile_id', '=', profileId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function revokeCredential(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('credentials').set({ status: 'revoked' }).where('id', '=', id).execute();
}

export async function deleteProfileCredentials(db: Kysely<DB>, profileId: string): Promise<void> {
  await db.deleteFrom('credentials').where('profile_id', '=', profileId).execute();
}
