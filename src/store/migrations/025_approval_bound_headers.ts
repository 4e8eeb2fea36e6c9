import type { Kysely, Migration } from 'kysely';

/**
 * What else an approval binds since it is judged on the call as the upstream gets it: the
 * forwarded headers that can change what is executed (JSON of name → value) and where the call
 * goes (the proxy and route group, or the virtual server's upstream and its own tool name). Rows
 * from before have neither (null): their digest covered less, so no call digests to it any more;
 * they can still be read and decided, never spent, and expire.
 */
export const approvalBoundHeaders: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('approvals').addColumn('bound_headers', 'text').execute();
    await db.schema.alterTable('approvals').addColumn('upstream', 'text').execute();
  },
};
