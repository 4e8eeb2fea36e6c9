import { type Kysely, sql } from 'kysely';
import { GatehouseError } from '../../core/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { DB, ResourceTable } from '../schema.js';
import { isUniqueViolation } from '../unique-violation.js';
import { noteResourceRowsWritten, noteResourceWrite } from '../write-journal.js';

/** A stored resource: its own fields plus what the store adds. */
export type StoredResource<T> = T & { id: string; version: number; createdAt: string; updatedAt: string };

export interface ResourceKeys {
  key: string;
  parentId?: string | null;
  collectionId?: string | null;
}

export interface ListOptions {
  limit: number;
  cursor?: string | undefined;
  parentId?: string | undefined;
  collectionId?: string | undefined;
  /** Case-insensitive substring of the unique key (name, slug, base path). */
  keyContains?: string | undefined;
}

export interface ListResult<T> {
  items: T[];
  nextCursor: string | null;
}

const STORED_FIELDS = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/** Creates written by one statement of a buffered transaction: a short hold of the loop to build, ~200× fewer round trips. */
const BUFFERED_ROWS = 200;

/** Creates not yet written, of a transaction that buffers them; their `type\nkey`s, to refuse a duplicate at once. */
interface PendingInserts {
  rows: ResourceTable[];
  keys: Set<string>;
}

const pending = new WeakMap<Kysely<DB>, PendingInserts>();

/**
 * Lets `db` (one write transaction: a declarative apply's) buffer its creates and write them in
 * multi-row statements: a 100,000-item apply then waits for ~500 round trips rather than 100,000,
 * each of which also waited its turn behind the proxied traffic of the loop. What a step reads
 * still sees every create before it: every other repository call on `db` writes the buffer first,
 * and the executor writes it before the transaction ends (`flushInserts`). Nothing else in a write
 * transaction reads `resources` directly but the approvals' name look-up, which flushes too.
 */
export function bufferInserts(db: Kysely<DB>): void {
  pending.set(db, { rows: [], keys: new Set() });
}

/**
 * Writes the creates `db` buffered. A key taken by a row already stored (which the plan's own
 * check makes rare: it compares with what is present) is refused as a single create's would be,
 * naming the key; the transaction then rolls back whole, as for any failed step.
 */
export async function flushInserts(db: Kysely<DB>): Promise<void> {
  const buffer = pending.get(db);
  if (!buffer || buffer.rows.length === 0) return;
  const rows = buffer.rows;
  buffer.rows = [];
  buffer.keys.clear();
  const written = await db
    .insertInto('resources')
    .values(rows)
    .onConflict((oc) => oc.columns(['type', 'key']).doNothing())
    .returning('id')
    .execute();
  if (written.length !== rows.length) {
    const ids = new Set(written.map((r) => r.id));
    const taken = rows.find((r) => !ids.has(r.id))!;
    throw new GatehouseError('GATEHOUSE_CONFLICT', `A ${taken.type.replace(/s$/, '')} with key "${taken.key}" already exists.`);
  }
  noteResourceRowsWritten(
    db,
    rows.map(({ type, id, data, version, created_at, updated_at }) => ({ type, id, data, version, created_at, updated_at })),
  );
}

function toResource<T>(row: ResourceTable): StoredResource<T> {
  return {
    ...(JSON.parse(row.data) as T),
    id: row.id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toData(value: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).filter(([k]) => !STORED_FIELDS.has(k))));
}

/** Generic access to config resources of one type; all writes go through the management executor's transaction. */
export class ResourceRepository<T extends object> {
  constructor(readonly type: string) {}

  async get(db: Kysely<DB>, id: string): Promise<StoredResource<T> | undefined> {
    await flushInserts(db);
    const row = await db.selectFrom('resources').selectAll().where('type', '=', this.type).where('id', '=', id).executeTakeFirst();
    return row ? toResource<T>(row) : undefined;
  }

  async getByKey(db: Kysely<DB>, key: string): Promise<StoredResource<T> | undefined> {
    await flushInserts(db);
    const row = await db.selectFrom('resources').selectAll().where('type', '=', this.type).where('key', '=', key).executeTakeFirst();
    return row ? toResource<T>(row) : undefined;
  }

  /** Resources in creation order, a page at a time. */
  async list(db: Kysely<DB>, opts: ListOptions): Promise<ListResult<StoredResource<T>>> {
    await flushInserts(db);
    let q = db.selectFrom('resources').selectAll().where('type', '=', this.type);
    if (opts.parentId !== undefined) q = q.where('parent_id', '=', opts.parentId);
    if (opts.collectionId !== undefined) q = q.where('collection_id', '=', opts.collectionId);
    if (opts.keyContains) {
      const pattern = `%${escapeLike(opts.keyContains.toLowerCase())}%`;
      q = q.where(sql<boolean>`lower(key) like ${pattern} escape '\\'`);
    }
    if (opts.cursor) {
      const [createdAt, id] = decodeCursor(opts.cursor, 2) as [string, string];
      q = q.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
    }
    const rows = await q
      .orderBy('created_at')
      .orderBy('id')
      .limit(opts.limit + 1)
      .execute();
    const page = rows.slice(0, opts.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => toResource<T>(r)),
      nextCursor: rows.length > opts.limit && last ? encodeCursor([last.created_at, last.id]) : null,
    };
  }

  /** Every resource of this type (snapshot compilation, reference checks). */
  async all(db: Kysely<DB>, where?: { parentId?: string; collectionId?: string }): Promise<StoredResource<T>[]> {
    await flushInserts(db);
    let q = db.selectFrom('resources').selectAll().where('type', '=', this.type);
    if (where?.parentId !== undefined) q = q.where('parent_id', '=', where.parentId);
    if (where?.collectionId !== undefined) q = q.where('collection_id', '=', where.collectionId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map((r) => toResource<T>(r));
  }

  async count(db: Kysely<DB>, where: { parentId?: string; collectionId?: string }): Promise<number> {
    await flushInserts(db);
    let q = db
      .selectFrom('resources')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', this.type);
    if (where.parentId !== undefined) q = q.where('parent_id', '=', where.parentId);
    if (where.collectionId !== undefined) q = q.where('collection_id', '=', where.collectionId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async insert(db: Kysely<DB>, id: string, value: T, keys: ResourceKeys, now: string): Promise<StoredResource<T>> {
    const row = {
      type: this.type,
      id,
      key: keys.key,
      parent_id: keys.parentId ?? null,
      collection_id: keys.collectionId ?? null,
      data: toData(value),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    const buffer = pending.get(db);
    if (buffer) {
      const unique = `${this.type}\n${keys.key}`;
      if (buffer.keys.has(unique)) throw new GatehouseError('GATEHOUSE_CONFLICT', `A ${this.type.replace(/s$/, '')} with key "${keys.key}" already exists.`);
      buffer.keys.add(unique);
      buffer.rows.push(row);
      if (buffer.rows.length >= BUFFERED_ROWS) await flushInserts(db);
      return { ...value, id, version: 1, createdAt: now, updatedAt: now };
    }
    try {
      await db.insertInto('resources').values(row).execute();
    } catch (err) {
      throw this.#conflict(err, keys.key);
    }
    noteResourceWrite(db, this.type, id, { type: this.type, id, data: row.data, version: 1, created_at: now, updated_at: now });
    return { ...value, id, version: 1, createdAt: now, updatedAt: now };
  }

  async update(db: Kysely<DB>, current: StoredResource<T>, next: T, keys: ResourceKeys, now: string): Promise<StoredResource<T>> {
    await flushInserts(db);
    const data = toData(next);
    try {
      await db
        .updateTable('resources')
        .set({
          key: keys.key,
          parent_id: keys.parentId ?? null,
          collection_id: keys.collectionId ?? null,
          data,
          version: current.version + 1,
          updated_at: now,
        })
        .where('type', '=', this.type)
        .where('id', '=', current.id)
        .execute();
    } catch (err) {
      throw this.#conflict(err, keys.key);
    }
    const row = { type: this.type, id: current.id, data, version: current.version + 1, created_at: current.createdAt, updated_at: now };
    noteResourceWrite(db, this.type, current.id, row);
    return { ...next, id: current.id, version: current.version + 1, createdAt: current.createdAt, updatedAt: now };
  }

  async delete(db: Kysely<DB>, id: string): Promise<void> {
    await flushInserts(db);
    await db.deleteFrom('resources').where('type', '=', this.type).where('id', '=', id).execute();
    noteResourceWrite(db, this.type, id, null);
  }

  #conflict(err: unknown, key: string): unknown {
    return isUniqueViolation(err) ? new GatehouseError('GATEHOUSE_CONFLICT', `A ${this.type.replace(/s$/, '')} with key "${key}" already exists.`) : err;
  }
}

/** Escapes LIKE wildcards so user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
