import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';

/** A `resources` row in its stored form. */
export interface ResourceRow {
  type: string;
  id: string;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A `credentials` row without its never-needed prefix. */
export interface CredentialRow {
  id: string;
  profile_id: string;
  client_id: string;
  token_hash: string;
  status: string;
  expires_at: string | null;
  grace_until: string | null;
}

/** Everything a snapshot is compiled from, read in one pass. */
export interface SnapshotInput {
  resources: ResourceRow[];
  credentials: CredentialRow[];
}

const SNAPSHOT_TYPES = ['collections', 'proxies', 'endpoints', 'policies', 'clients', 'profiles'];

/** Reads the config tables the data plane compiles; revoked credentials are left out. */
export async function loadSnapshotInput(db: Kysely<DB>): Promise<SnapshotInput> {
  const [resources, credentials] = await Promise.all([
    db
      .selectFrom('resources')
      .select(['type', 'id', 'data', 'version', 'created_at', 'updated_at'])
      .where('type', 'in', SNAPSHOT_TYPES)
      .execute(),
    db
      .selectFrom('credentials')
      .select(['id', 'profile_id', 'client_id', 'token_hash', 'status', 'expires_at', 'grace_until'])
      .where('status', '!=', 'revoked')
      .execute(),
  ]);
  return { resources, credentials };
}
