import type { Kysely, Migration } from 'kysely';

/**
 * Approvals bound to the concrete call: the method, the path as sent, the query in canonical
 * order, the SHA-256 and size of the body (or MCP arguments) as sent, the MCP server and tool, and
 * the whole call as the approver reads it (pretty-printed, secrets redacted, at most 1 MiB).
 * Rows from before have none of these (null): their digest covered the endpoint template, which no
 * call digests to any more, so they can still be decided but never let a call through; they expire.
 */
export const approvalCalls: Migration = {
  async up(db: Kysely<unknown>) {
    const add = (name: string, type: 'varchar(16)' | 'varchar(64)' | 'varchar(300)' | 'integer' | 'text') =>
      db.schema.alterTable('approvals').addColumn(name, type).execute();
    await add('method', 'varchar(16)');
    await add('path', 'text');
    await add('query', 'text');
    await add('body_sha256', 'varchar(64)');
    await add('body_bytes', 'integer');
    await add('mcp_server', 'varchar(300)');
    await add('mcp_tool', 'varchar(300)');
    await add('call_text', 'text');
    await add('call_bytes', 'integer');
  },
};
