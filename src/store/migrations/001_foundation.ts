import type { Kysely, Migration } from 'kysely';

/** Config resources, credentials, secrets, users, the audit chain, OAuth state and settings. */
export const foundation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('resources')
      .addColumn('type', 'varchar(40)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('key', 'varchar(600)', (c) => c.notNull())
      .addColumn('parent_id', 'varchar(64)')
      .addColumn('collection_id', 'varchar(64)')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .addUniqueConstraint('resources_type_key', ['type', 'key'])
      .execute();
    await db.schema.createIndex('resources_type_parent').on('resources').columns(['type', 'parent_id']).execute();
    await db.schema.createIndex('resources_type_created').on('resources').columns(['type', 'created_at', 'id']).execute();

    await db.schema
      .createTable('credentials')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('profile_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('token_hash', 'varchar(128)', (c) => c.notNull().unique())
      .addColumn('prefix', 'varchar(32)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(40)')
      .addColumn('grace_until', 'varchar(40)')
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('credentials_profile').on('credentials').column('profile_id').execute();

    await db.schema
      .createTable('secrets')
      .addColumn('owner_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('owner_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('secrets_pk', ['owner_type', 'owner_id'])
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('username', 'varchar(100)', (c) => c.notNull().unique())
      .addColumn('password_hash', 'varchar(300)', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('time', 'varchar(40)', (c) => c.notNull())
      .addColumn('actor_subject', 'varchar(300)', (c) => c.notNull())
      .addColumn('actor_name', 'varchar(300)', (c) => c.notNull())
      .addColumn('actor_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('channel', 'varchar(16)', (c) => c.notNull())
      .addColumn('client_app', 'varchar(300)')
      .addColumn('ip', 'varchar(64)')
      .addColumn('action', 'varchar(100)', (c) => c.notNull())
      .addColumn('resource_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('resource_id', 'varchar(64)')
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('error_code', 'varchar(64)')
      .addColumn('request_id', 'varchar(100)')
      .addColumn('diff', 'text')
      .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_time').on('audit_log').column('time').execute();
    await db.schema.createIndex('audit_resource').on('audit_log').columns(['resource_type', 'resource_id']).execute();
    await db.schema.createIndex('audit_actor').on('audit_log').column('actor_subject').execute();

    await db.schema
      .createTable('oidc_payloads')
      .addColumn('model', 'varchar(40)', (c) => c.notNull())
      .addColumn('id', 'varchar(200)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'varchar(200)')
      .addColumn('uid', 'varchar(200)')
      .addColumn('user_code', 'varchar(200)')
      .addColumn('expires_at', 'varchar(40)')
      .addColumn('consumed_at', 'varchar(40)')
      .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
    await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').column('uid').execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .execute();
  },
};
