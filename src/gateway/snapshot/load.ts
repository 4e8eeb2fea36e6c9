import type { Kysely } from 'kysely';
import type { ApprovalRow } from '../../store/repositories/approvals.js';
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

/** A sealed secret of a backend credential. */
export interface SealedRow {
  owner_id: string;
  ciphertext: string;
}

/** A sealed secret with its owner type (the MCP part of the snapshot opens three kinds). */
export interface OwnedSealedRow extends SealedRow {
  owner_type: string;
}

/** Everything a snapshot is compiled from, read in one pass. */
export interface SnapshotInput {
  resources: ResourceRow[];
  credentials: CredentialRow[];
  /** Sealed backend-credential material; without it (or a way to open it) proxies that need one fail their calls with 503. */
  backendSecrets?: SealedRow[];
  /** Approval decisions in force (approved or denied, unexpired). */
  approvals?: ApprovalRow[];
  /** Sealed material of MCP servers, with owner types (see MCP_SECRET_TYPES; a backend credential's is in backendSecrets). */
  mcpSecrets?: OwnedSealedRow[];
}

/** The resource types a snapshot is compiled from. */
export const SNAPSHOT_TYPES = [
  'backend-credentials',
  'collections',
  'proxies',
  'endpoints',
  'policies',
  'clients',
  'profiles',
  'workflows',
  'workflow-versions',
  'mcp-servers',
  'virtual-mcps',
  'mcp-grants',
  'role-bindings',
];

// 100k credential rows as objects are ~45 MB of transient heap; pages keep the peak (and so RSS) down.
// A page of 1,000 (~0.3 MB) dies young in V8's young generation; pages of 5,000 outlived a small one
// and were promoted, 30 MB of old-generation garbage at 100,000 credentials.
const CREDENTIAL_PAGE = 1_000;

/** Reads the config resources the data plane compiles. */
export function loadResources(db: Kysely<DB>): Promise<ResourceRow[]> {
  return db.selectFrom('resources').select(['type', 'id', 'data', 'version', 'created_at', 'updated_at']).where('type', 'in', SNAPSHOT_TYPES).execute();
}

/** Reads the sealed material of backend credentials (opened by the compiler with the node's secret box). */
export function loadBackendSecrets(db: Kysely<DB>): Promise<SealedRow[]> {
  return db.selectFrom('secrets').select(['owner_id', 'ciphertext']).where('owner_type', '=', 'backend-credentials').execute();
}

/** The owner types of an MCP server's own sealed material: static headers, OAuth client secret, stdio environment (a backend credential's is read apart). */
export const MCP_SECRET_TYPES = { headers: 'mcp-servers', oauthClient: 'mcp-server-oauth-client', stdioEnv: 'mcp-server-stdio-env' } as const;

/** Reads the sealed material of MCP servers (headers, OAuth client secrets, stdio environments), with owner types. */
export function loadMcpSecrets(db: Kysely<DB>): Promise<OwnedSealedRow[]> {
  return db.selectFrom('secrets').select(['owner_type', 'owner_id', 'ciphertext']).where('owner_type', 'in', Object.values(MCP_SECRET_TYPES)).execute();
}

/** How many credentials are not revoked (sizes the token index up front). */
export async function countCredentials(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('credentials')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '!=', 'revoked')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reads the non-revoked credentials page by page (keyset on id), handing each page to `each` before reading the next. */
export async function forEachCredentialPage(db: Kysely<DB>, each: (rows: CredentialRow[]) => void | Promise<void>, pageSize = CREDENTIAL_PAGE): Promise<void> {
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('credentials')
      .select(['id', 'profile_id', 'client_id', 'token_hash', 'status', 'expires_at', 'grace_until'])
      .where('status', '!=', 'revoked');
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.orderBy('id').limit(pageSize).execute();
    if (rows.length > 0) await each(rows);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

// A page of resource rows: on SQLite a read blocks the event loop for its whole length.
const RESOURCE_PAGE = 2_000;

/** Reads the config resources page by page (keyset on id), handing each page to `each` before reading the next. */
export async function forEachResourcePage(db: Kysely<DB>, each: (rows: ResourceRow[]) => void | Promise<void>, pageSize = RESOURCE_PAGE): Promise<void> {
  const wanted = new Set<string>(SNAPSHOT_TYPES);
  let after: string | null = null;
  for (;;) {
    // Along the primary key, types checked here (see loadResourceVersions).
    let q = db.selectFrom('resources').select(['type', 'id', 'data', 'version', 'created_at', 'updated_at']);
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.orderBy('id').limit(pageSize).execute();
    const mine = rows.filter((r) => wanted.has(r.type));
    if (mine.length > 0) await each(mine);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Each config resource's version stamp (`type\nid` → `version updated_at`), without its data: what a node compares to find what changed. */
export async function loadResourceVersions(db: Kysely<DB>, types: readonly string[] = SNAPSHOT_TYPES): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = new Set(types);
  let after: string | null = null;
  for (;;) {
    // Paged along the primary key, types checked here: with a condition on type, SQLite walked the
    // type index and sorted every row of those types for each page (~300 ms a page at 100,000 rows).
    let q = db.selectFrom('resources').select(['type', 'id', 'version', 'updated_at']);
    if (after !== null) q = q.where('id', '>', after);
    // A page as long as a page of whole rows: on SQLite a read of 10,000 stamps held the loop ~90 ms.
    const rows = await q.orderBy('id').limit(RESOURCE_PAGE).execute();
    for (const r of rows) if (wanted.has(r.type)) out.set(`${r.type}\n${r.id}`, `${r.version} ${r.updated_at}`);
    if (rows.length < RESOURCE_PAGE) return out;
    after = rows[rows.length - 1]!.id;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Per config type: how many rows, the sum of their versions and the newest update, computed by the store (no rows read out). */
export async function loadTypeSignatures(db: Kysely<DB>): Promise<Map<string, { count: number; versions: number; newest: string }>> {
  const rows = await db
    .selectFrom('resources')
    .select((eb) => ['type', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('version').as('v'), eb.fn.max('updated_at').as('u')])
    .where('type', 'in', SNAPSHOT_TYPES)
    .groupBy('type')
    .execute();
  return new Map(rows.map((r) => [r.type, { count: Number(r.n), versions: Number(r.v), newest: String(r.u) }]));
}

/** The rows of one type updated at or after `since` (ISO time): new and changed rows, when clocks agree. */
export async function loadResourcesUpdatedSince(db: Kysely<DB>, type: string, since: string): Promise<ResourceRow[]> {
  const out: ResourceRow[] = [];
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('resources')
      .select(['type', 'id', 'data', 'version', 'created_at', 'updated_at'])
      .where('type', '=', type)
      .where('updated_at', '>=', since);
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.orderBy('id').limit(RESOURCE_PAGE).execute();
    for (const row of rows) out.push(row);
    if (rows.length < RESOURCE_PAGE) return out;
    after = rows[rows.length - 1]!.id;
    // On SQLite every page is read synchronously: let calls in between.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The rows of these resource ids (those still stored). */
export async function loadResourcesById(db: Kysely<DB>, ids: readonly string[]): Promise<ResourceRow[]> {
  const out: ResourceRow[] = [];
  const wanted = new Set<string>(SNAPSHOT_TYPES);
  for (let i = 0; i < ids.length; i += 500) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    // By id alone: with a condition on type too, SQLite walked the type index, every row of those types per page (13 s for 100,000 ids).
    const rows = await db
      .selectFrom('resources')
      .select(['type', 'id', 'data', 'version', 'created_at', 'updated_at'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) if (wanted.has(row.type)) out.push(row);
  }
  return out;
}

/**
 * The credentials changed by successful changes after audit sequence `after`, by id; null when
 * that cannot be told (a credential change without an id, or too many to apply one by one).
 */
export async function credentialChangesSince(db: Kysely<DB>, after: number, max = 1_000): Promise<string[] | null> {
  const rows = await db
    .selectFrom('audit_log')
    .select('resource_id')
    .where('seq', '>', after)
    .where('outcome', '=', 'success')
    .where('resource_type', '=', 'credentials')
    .limit(max + 1)
    .execute();
  if (rows.length > max || rows.some((r) => r.resource_id === null)) return null;
  return [...new Set(rows.map((r) => r.resource_id!))];
}

/** Reads the config tables the data plane compiles, all at once; revoked credentials are left out. */
export async function loadSnapshotInput(db: Kysely<DB>): Promise<SnapshotInput> {
  const resources = await loadResources(db);
  const backendSecrets = await loadBackendSecrets(db);
  const credentials: CredentialRow[] = [];
  await forEachCredentialPage(db, (rows) => {
    for (const row of rows) credentials.push(row);
  });
  return { resources, credentials, backendSecrets };
}

/**
 * The store's configuration version: the sequence number of the newest successful change (every
 * change is audited in its own transaction). Cheap — one step down the audit log's primary key —
 * so every node can poll it and notice a change whose notification it never heard.
 */
export async function readConfigVersion(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('audit_log').select('seq').where('outcome', '=', 'success').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

/** Every credential of the profile that owns credential `id` (revoked ones too: they must leave the index), or null when there is no such credential. */
export async function loadSiblingCredentials(db: Kysely<DB>, id: string): Promise<CredentialRow[] | null> {
  const owner = await db.selectFrom('credentials').select('profile_id').where('id', '=', id).executeTakeFirst();
  if (!owner) return null;
  return db
    .selectFrom('credentials')
    .select(['id', 'profile_id', 'client_id', 'token_hash', 'status', 'expires_at', 'grace_until'])
    .where('profile_id', '=', owner.profile_id)
    .execute();
}

/** Whether any change succeeded with an audit sequence number in (after, before): one the caller may not have seen. */
export async function changedBetween(db: Kysely<DB>, after: number, before: number): Promise<boolean> {
  if (before - after <= 1) return false;
  const row = await db
    .selectFrom('audit_log')
    .select('seq')
    .where('seq', '>', after)
    .where('seq', '<', before)
    .where('outcome', '=', 'success')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// Past this many changes between passes, their types are not read out: the pass reads everything.
const MAX_TYPED_RANGE = 1_000;

/** The resource types of the successful changes with audit sequence in (after, upTo]; null when there are too many to tell cheaply. */
export async function changedTypesBetween(db: Kysely<DB>, after: number, upTo: number): Promise<Set<string> | null> {
  if (upTo <= after) return new Set();
  if (upTo - after > MAX_TYPED_RANGE) return null;
  const rows = await db
    .selectFrom('audit_log')
    .select('resource_type')
    .distinct()
    .where('seq', '>', after)
    .where('seq', '<=', upTo)
    .where('outcome', '=', 'success')
    .execute();
  return new Set(rows.map((r) => r.resource_type));
}
