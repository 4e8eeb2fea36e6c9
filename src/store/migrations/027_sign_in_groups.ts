import type { Kysely, Migration } from 'kysely';

/**
 * The mapped groups each person carried at their last sign-in through each enterprise IdP: only
 * the groups some role binding or virtual-server access list names (so the console can say who has
 * access through which group), as a JSON array, and when. One row per person and IdP; the next
 * sign-in replaces it.
 */
export const signInGroups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sign_in_groups')
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('idp_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('groups', 'text', (c) => c.notNull())
      .addColumn('signed_in_at', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('sign_in_groups_pk', ['user_id', 'idp_id'])
      .execute();
  },
};
