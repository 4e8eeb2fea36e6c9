import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** The mapped groups a person carried at their last sign-in through one IdP, and when. */
export interface SignInGroups {
  userId: string;
  idpId: string;
  groups: string[];
  signedInAt: string;
}

/** Replaces the person's groups from this IdP with those of the sign-in just made (none is kept too: access gone). */
export async function recordSignInGroups(db: Kysely<DB>, entry: SignInGroups): Promise<void> {
  const row = { user_id: entry.userId, idp_id: entry.idpId, groups: JSON.stringify(entry.groups), signed_in_at: entry.signedInAt };
  await db
    .insertInto('sign_in_groups')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'idp_id']).doUpdateSet({ groups: row.groups, signed_in_at: row.signed_in_at }))
    .execute();
}

/** Every person's recorded groups, by person then IdP (one row per person and IdP, so bounded by people). */
export async function allSignInGroups(db: Kysely<DB>): Promise<SignInGroups[]> {
  const rows = await db.selectFrom('sign_in_groups').selectAll().orderBy('user_id').orderBy('idp_id').execute();
  return rows.map((r) => ({ userId: r.user_id, idpId: r.idp_id, groups: JSON.parse(r.groups) as string[], signedInAt: r.signed_in_at }));
}
