import type { Generated } from 'kysely';

/** Config resources (collections, proxies, …) as JSON documents with their unique and lookup keys. */
export interface ResourceTable {
  type: string;
  id: string;
  /** Unique per type: slug, name, base path, or a compound key. */
  key: string;
  parent_id: string | null;
  /** The collection a resource belongs to, for collection-scoped roles. */
  collection_id: string | null;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CredentialTable {
  id: string;
  profile_id: string;
  client_id: string;
  token_hash: string;
  prefix: string;
  status: string;
  expires_at: string | null;
  grace_until: string | null;
  created_at: string;
}

export interface SecretTable {
  owner_type: string;
  owner_id: string;
  ciphertext: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface AuditTable {
  seq: number;
  id: string;
  time: string;
  actor_subject: string;
  actor_name: string;
  actor_kind: string;
  channel: string;
  client_app: string | null;
  ip: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: string;
  status: number;
  error_code: string | null;
  request_id: string | null;
  diff: string | null;
  prev_hash: string;
  hash: string;
}

/** oidc-provider's models (sessions, grants, codes, refresh tokens, …). */
export interface OidcPayloadTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface MigrationLockProbe {
  id: Generated<number>;
}

export interface DB {
  resources: ResourceTable;
  credentials: CredentialTable;
  secrets: SecretTable;
  users: UserTable;
  audit_log: AuditTable;
  oidc_payloads: OidcPayloadTable;
  settings: SettingTable;
}
