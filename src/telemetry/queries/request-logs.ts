import { type Kysely, sql } from 'kysely';
import type { RequestLogQuery, RequestRecord } from '../../core/index.js';
import { decodeCursor, encodeCursor } from '../../store/cursor.js';
import type { DB } from '../../store/schema.js';
import { fromRow } from '../rows.js';

export interface RequestLogPage {
  /** Newest first. */
  items: RequestRecord[];
  nextCursor: string | null;
}

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// lower() on both sides: case-insensitive alike on SQLite (whose LIKE already is, for ASCII) and PostgreSQL.
function contains(column: 'path' | 'request_body' | 'response_body', text: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like lower(${containsPattern(text)}) escape '\\'`;
}

/**
 * Raw request logs, newest first, filtered, a page at a time (keyset cursor on time and id, so
 * pages never repeat or skip rows as new calls arrive). Without `from`/`to` it searches every
 * retained log. Substring filters (path, body text) are case-insensitive.
 */
export async function searchRequestLogs(db: Kysely<DB>, q: RequestLogQuery): Promise<RequestLogPage> {
  let query = db.selectFrom('request_logs').selectAll();
  if (q.from) query = query.where('time', '>=', new Date(q.from).toISOString());
  if (q.to) query = query.where('time', '<', new Date(q.to).toISOString());
  if (q.collectionId) query = query.where('collection_id', '=', q.collectionId);
  if (q.clientId) query = query.where('client_id', '=', q.clientId);
  if (q.profileId) query = query.where('profile_id', '=', q.profileId);
  if (q.method) query = query.where('method', '=', q.method);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  if (q.minLatencyMs !== undefined) query = query.where('latency_ms', '>=', q.minLatencyMs);
  if (q.maxLatencyMs !== undefined) query = query.where('latency_ms', '<=', q.maxLatencyMs);
  if (q.path) query = query.where(contains('path', q.path));
  if (q.requestId) query = query.where('request_id', '=', q.requestId);
  if (q.bodyText) {
    const text = q.bodyText;
    query = query.where((eb) => eb.or([contains('request_body', text), contains('response_body', text)]));
  }
  if (q.cursor) {
    const [time, id] = decodeCursor(q.cursor, 2);
    const t = String(time);
    const i = String(id);
    query = query.where((eb) => eb.or([eb('time', '<', t), eb.and([eb('time', '=', t), eb('id', '<', i)])]));
  }
  const rows = await query
    .orderBy('time', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(fromRow),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.time, last.id]) : null,
  };
}

/** One request log by id, or undefined when there is none (or it aged out). */
export async function getRequestLog(db: Kysely<DB>, id: string): Promise<RequestRecord | undefined> {
  const row = await db.selectFrom('request_logs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}
