import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type AuditChainVerdict, type AuditEntry, type AuditQuery, GatehouseError, newId } from '../../core/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Database, Dialect } from '../database.js';
import type { AuditTable, DB } from '../schema.js';

export const GENESIS_HASH = '0'.repeat(64);
// Serializes chain appends across every node sharing one store: the lock's first key names the
// chain, its second the schema, since advisory locks are per database and every schema holds a
// chain of its own. With one key for all, gateways in other schemas of the same database (tests,
// tenants) waited on each other's writes, and one's 100,000-item apply stopped all their writes.
const PG_AUDIT_LOCK = 'select pg_advisory_xact_lock(417203100, hashtext(current_schema()))';

export type AuditDraft = Omit<AuditEntry, 'id' | 'seq' | 'prevHash' | 'hash'>;

/** The hash that links a row to its predecessor: over every stored column, exactly as stored. */
export function auditHash(row: Omit<AuditTable, 'hash'>): string {
  const fields = [
    row.seq,
    row.id,
    row.time,
    row.actor_subject,
    row.actor_name,
    row.actor_kind,
    row.channel,
    row.client_app,
    row.ip,
    row.action,
    row.resource_type,
    row.resource_id,
    row.outcome,
    row.status,
    row.error_code,
    row.request_id,
    row.diff,
    row.prev_hash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/**
 * Takes the chain lock for the rest of the transaction. Write transactions call it first, so
 * appends never race for the same predecessor. SQLite's IMMEDIATE transactions already serialize.
 */
export async function lockAuditChain(db: Kysely<DB>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql.raw(PG_AUDIT_LOCK).execute(db);
}

/**
 * Runs `fn` in a transaction that holds the chain lock from its start. On PostgreSQL `begin` and the
 * lock go in one round trip (a simple-protocol query of two statements), not two.
 */
export async function inChainTransaction<T>(
  database: Pick<Database, 'db' | 'dialect'>,
  fn: (trx: Kysely<DB>) => Promise<T>,
  /** A last statement to run with the commit (on PostgreSQL in the same round trip), e.g. a NOTIFY; null for none. */
  last: () => string | null = () => null,
): Promise<T> {
  const { db, dialect } = database;
  if (dialect !== 'postgres') {
    return db.transaction().execute(async (trx) => {
      const out = await fn(trx);
      const statement = last();
      if (statement) await sql.raw(statement).execute(trx);
      return out;
    });
  }
  return db.connection().execute(async (conn) => {
    await sql.raw(`begin; ${PG_AUDIT_LOCK}`).execute(conn);
    let out: T;
    let statement: string | null;
    try {
      out = await fn(conn);
      statement = last();
    } catch (err) {
      await sql
        .raw('rollback')
        .execute(conn)
        .catch(() => {});
      throw err;
    }
    await sql.raw(statement ? `${statement}; commit` : 'commit').execute(conn);
    return out;
  });
}

/** The newest entry of the chain as last seen committed: an append that trusts it writes without reading the chain first. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Appends one entry to the chain; call inside a transaction that holds the chain lock. Given the
 * head as last seen, the entry is written in one statement that inserts only if that is still the
 * head (holding the lock, nothing can move it meanwhile); otherwise, or without it, the head is read first.
 */
export async function appendAudit(db: Kysely<DB>, draft: AuditDraft, head?: ChainHead | null): Promise<AuditEntry> {
  if (head) {
    const row = auditRow(draft, head);
    const cols = Object.keys(row) as Array<keyof AuditTable>;
    // Cast so PostgreSQL types each value as its column (a bare parameter in a select list is text).
    const typed = (col: keyof AuditTable) =>
      col === 'seq' ? sql`cast(${row[col]} as bigint)` : col === 'status' ? sql`cast(${row[col]} as integer)` : sql`cast(${row[col]} as text)`;
    const inserted = await db
      .insertInto('audit_log')
      .columns(cols)
      .expression(
        db
          .selectNoFrom(cols.map((col) => typed(col).as(col)))
          .where((w) =>
            w.and([
              w(w.selectFrom('audit_log').select('hash').where('seq', '=', head.seq), '=', head.hash),
              w.not(w.exists(w.selectFrom('audit_log').select('seq').where('seq', '>', head.seq))),
            ]),
          ),
      )
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return toEntry(row);
  }
  const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row = auditRow(draft, last ? { seq: Number(last.seq), hash: last.hash } : null);
  await db.insertInto('audit_log').values(row).execute();
  return toEntry(row);
}

/** Rows written by one statement of an `AuditBatch`: few enough that building the statement is a short hold of the loop. */
const BATCH_ROWS = 200;

/**
 * The audit entries of one long write (a declarative apply's steps): each is chained in memory as it
 * is appended and written `BATCH_ROWS` to a statement, not one round trip each — on PostgreSQL half
 * the round trips of a 100,000-step apply. Use inside a transaction holding the chain lock (nothing
 * else can move the head meanwhile) and call `flush` before it commits; nothing in a write
 * transaction reads the chain, so entries not yet written are never missed. A rollback drops them
 * with the rest.
 */
export class AuditBatch {
  readonly #db: Kysely<DB>;
  #head: ChainHead | null | undefined;
  #rows: AuditTable[] = [];

  constructor(db: Kysely<DB>) {
    this.#db = db;
  }

  async append(draft: AuditDraft): Promise<AuditEntry> {
    // The head as stored, read once under the lock: a cached one could be another node's past.
    if (this.#head === undefined) {
      const last = await this.#db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      this.#head = last ? { seq: Number(last.seq), hash: last.hash } : null;
    }
    const row = auditRow(draft, this.#head);
    this.#head = { seq: Number(row.seq), hash: row.hash };
    this.#rows.push(row);
    if (this.#rows.length >= BATCH_ROWS) await this.flush();
    return { ...toEntry({ ...row, diff: null }), diff: draft.diff };
  }

  /** Writes the entries appended since the last flush. */
  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    await this.#db.insertInto('audit_log').values(rows).execute();
  }
}

/** The stored row of an entry that follows `prev` (null: the first). */
function auditRow(draft: AuditDraft, prev: ChainHead | null): AuditTable {
  const base: Omit<AuditTable, 'hash'> = {
    seq: (prev?.seq ?? 0) + 1,
    id: newId('aud'),
    time: draft.time,
    actor_subject: draft.actor.subject,
    actor_name: draft.actor.name,
    actor_kind: draft.actor.kind,
    channel: draft.channel,
    client_app: draft.clientApp,
    ip: draft.ip,
    action: draft.action,
    resource_type: draft.resourceType,
    resource_id: draft.resourceId,
    outcome: draft.outcome,
    status: draft.status,
    error_code: draft.errorCode,
    request_id: draft.requestId,
    diff: draft.diff ? JSON.stringify(draft.diff) : null,
    prev_hash: prev?.hash ?? GENESIS_HASH,
  };
  return { ...base, hash: auditHash(base) };
}

function toEntry(row: AuditTable): AuditEntry {
  return {
    id: row.id,
    seq: Number(row.seq),
    time: row.time,
    actor: { subject: row.actor_subject, name: row.actor_name, kind: row.actor_kind as 'user' | 'service' },
    channel: row.channel as AuditEntry['channel'],
    clientApp: row.client_app,
    ip: row.ip,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    outcome: row.outcome as AuditEntry['outcome'],
    status: Number(row.status),
    errorCode: row.error_code,
    requestId: row.request_id,
    diff: row.diff ? (JSON.parse(row.diff) as AuditEntry['diff']) : null,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The filters of an audit search, without its page. */
export type AuditFilter = Omit<AuditQuery, 'limit' | 'cursor'>;

function filtered(db: Kysely<DB>, q: AuditFilter) {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.actor) query = query.where((eb) => eb.or([eb('actor_subject', '=', q.actor!), eb('actor_name', '=', q.actor!)]));
  if (q.resourceType) query = query.where('resource_type', '=', q.resourceType);
  if (q.resourceId) query = query.where('resource_id', '=', q.resourceId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.ip) query = query.where('ip', '=', q.ip);
  if (q.outcome) query = query.where('outcome', '=', q.outcome);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  if (q.channel) query = query.where('channel', '=', q.channel);
  if (q.from) query = query.where('time', '>=', new Date(q.from).toISOString());
  if (q.to) query = query.where('time', '<', new Date(q.to).toISOString());
  return query;
}

/** Every matching entry, oldest first, read a page at a time by sequence number (memory stays flat). */
export async function* auditEntries(db: Kysely<DB>, q: AuditFilter, pageSize = 1_000): AsyncGenerator<AuditEntry[]> {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, q).where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows.map(toEntry);
    after = Number(rows.at(-1)!.seq);
    if (rows.length < pageSize) return;
  }
}

/** Newest first, filtered, a page at a time. */
export async function queryAudit(db: Kysely<DB>, q: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  let query = filtered(db, q);
  if (q.cursor) {
    const [seq] = decodeCursor(q.cursor, 1);
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
      throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'The cursor is invalid.', [{ path: 'cursor', message: 'invalid cursor' }]);
    }
    query = query.where('seq', '<', seq);
  }
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > q.limit && last ? encodeCursor([Number(last.seq)]) : null,
  };
}

export async function getAudit(db: Kysely<DB>, id: string): Promise<AuditEntry | undefined> {
  const row = await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

export type ChainVerdict = AuditChainVerdict;

/** Walks the whole chain in order, recomputing every hash and link; stops at the first break. */
export async function verifyAuditChain(db: Kysely<DB>, pageSize = 5_000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      const broken = (reason: string): ChainVerdict => ({ ok: false, entries: expectedSeq - 1, brokenAt: { seq, id: row.id, reason } });
      if (seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing (next is ${seq})`);
      if (row.prev_hash !== prevHash) return broken('its previous-hash link does not match the entry before it');
      const { hash, ...rest } = row;
      if (auditHash({ ...rest, seq, status: Number(row.status) }) !== hash) return broken('its contents do not match its hash');
      prevHash = hash;
      expectedSeq++;
    }
    if (rows.length < pageSize) return { ok: true, entries: expectedSeq - 1, head: prevHash };
  }
}
