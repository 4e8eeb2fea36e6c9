import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { RequestLogQuery, RequestRecord } from '../../core/index.js';
import { decodeCursor, encodeCursor } from '../../store/cursor.js';
import type { DB } from '../../store/schema.js';
import { timeOfLogId } from '../log-id.js';
import { forEachRecord } from '../segments.js';

export interface RequestLogPage {
  /** Newest first. */
  items: RequestRecord[];
  nextCursor: string | null;
}

// Segments read per round trip while walking newest first; most pages are filled by the first few.
const SEGMENTS_PER_READ = 8;

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type Segments = ExpressionBuilder<DB, 'request_log_segments'>;

/** The segment's string table holds `value` (as a whole JSON string); case-insensitive on SQLite, so only a pre-filter. */
function holdsString(eb: Segments, value: string) {
  return eb('strings', 'like', sql<string>`${containsPattern(JSON.stringify(value))} escape '\\'`);
}

/** Newest first: by time, then id. */
function newer(a: RequestRecord, b: RequestRecord): number {
  if (a.time !== b.time) return a.time > b.time ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

/** The filters of a request-log search, without its page. */
export type RequestLogFilter = Omit<RequestLogQuery, 'limit' | 'cursor'>;

/** Whether a record's `mcpTool` names this tool: alone (`execute_call`) or as a virtual server shows it (`<shown> → <upstream>/<name>`). */
function calledTool(recorded: string | null, tool: string): boolean {
  return recorded !== null && (recorded === tool || recorded.startsWith(`${tool} → `));
}

/** The exact filter a record must pass (the SQL conditions on segments only narrow which to decode). */
export function matcher(q: RequestLogFilter, cursor: { time: string; id: string } | null): (r: RequestRecord) => boolean {
  const from = q.from ? new Date(q.from).toISOString() : null;
  const to = q.to ? new Date(q.to).toISOString() : null;
  const path = q.path?.toLowerCase();
  const body = q.bodyText?.toLowerCase();
  return (r) =>
    (from === null || r.time >= from) &&
    (to === null || r.time < to) &&
    (q.collectionId === undefined || r.collectionId === q.collectionId) &&
    (q.clientId === undefined || r.clientId === q.clientId) &&
    (q.profileId === undefined || r.profileId === q.profileId) &&
    (q.subject === undefined || r.subject === q.subject) &&
    (q.mcpMethod === undefined || r.mcpMethod === q.mcpMethod) &&
    (q.mcpTool === undefined || calledTool(r.mcpTool, q.mcpTool)) &&
    (q.method === undefined || r.method === q.method) &&
    (q.channel === undefined || r.channel === q.channel) &&
    (q.status === undefined || r.status === q.status) &&
    (q.minLatencyMs === undefined || r.latencyMs >= q.minLatencyMs) &&
    (q.maxLatencyMs === undefined || r.latencyMs <= q.maxLatencyMs) &&
    (path === undefined || r.path.toLowerCase().includes(path)) &&
    (q.requestId === undefined || r.requestId === q.requestId) &&
    (body === undefined || !!r.requestBody?.toLowerCase().includes(body) || !!r.responseBody?.toLowerCase().includes(body)) &&
    (cursor === null || r.time < cursor.time || (r.time === cursor.time && r.id < cursor.id));
}

/** The segments that may hold records matching the filter: SQL rules out those whose summary cannot. */
export function segmentsFor(db: Kysely<DB>, q: RequestLogFilter) {
  let base = db.selectFrom('request_log_segments').select(['id', 'last_time', 'row_count', 'strings', 'data', 'format']);
  if (q.from) base = base.where('last_time', '>=', new Date(q.from).toISOString());
  if (q.to) base = base.where('first_time', '<', new Date(q.to).toISOString());
  for (const value of [q.collectionId, q.clientId, q.profileId, q.subject, q.method, q.mcpMethod, q.requestId]) {
    if (value !== undefined) base = base.where((eb) => holdsString(eb, value));
  }
  // The string table holds the tool alone or followed by where it went: either starts with the quoted name.
  if (q.mcpTool !== undefined) base = base.where('strings', 'like', sql<string>`${containsPattern(JSON.stringify(q.mcpTool).slice(0, -1))} escape '\\'`);
  // Only ASCII folds alike in SQLite's lower() and JavaScript's toLowerCase().
  if (q.path && /^[\x20-\x7e]*$/.test(q.path)) {
    const pattern = containsPattern(JSON.stringify(q.path).slice(1, -1).toLowerCase());
    base = base.where(sql<boolean>`lower(strings) like ${pattern} escape '\\'`);
  }
  if (q.status !== undefined) base = base.where('statuses', 'like', `%,${q.status},%`);
  if (q.minLatencyMs !== undefined) base = base.where('max_latency_ms', '>=', q.minLatencyMs);
  if (q.maxLatencyMs !== undefined) base = base.where('min_latency_ms', '<=', q.maxLatencyMs);
  if (q.bodyText) base = base.where('has_bodies', '=', 1);
  return base;
}

/**
 * Raw request logs, newest first, filtered, a page at a time (keyset cursor on time and id, so
 * pages never repeat or skip rows as new calls arrive). Without `from`/`to` it searches every
 * retained log. Substring filters (path, body text) are case-insensitive.
 *
 * Logs are stored a batch per segment (src/telemetry/segments.ts). The search walks segments by
 * their latest call, newest first, skipping in SQL those whose summary rules them out (time range,
 * statuses, latency range, bodies, and the string table for ids, method, path and request id),
 * decodes the rest and filters their calls exactly. It stops once it holds a full page and the next
 * segment's latest call is older than the page's last: nothing further can belong on the page.
 */
export async function searchRequestLogs(db: Kysely<DB>, q: RequestLogQuery): Promise<RequestLogPage> {
  let cursor: { time: string; id: string } | null = null;
  if (q.cursor) {
    const [time, id] = decodeCursor(q.cursor, 2);
    cursor = { time: String(time), id: String(id) };
  }
  let base = segmentsFor(db, q);
  if (cursor) base = base.where('first_time', '<=', cursor.time);

  const keep = q.limit + 1;
  const match = matcher(q, cursor);
  let found: RequestRecord[] = [];
  let after: { last: string; id: string } | null = null;
  walk: for (;;) {
    let page = base;
    if (after) {
      const { last, id } = after;
      page = page.where((eb) => eb.or([eb('last_time', '<', last), eb.and([eb('last_time', '=', last), eb('id', '<', id)])]));
    }
    const segments = await page.orderBy('last_time', 'desc').orderBy('id', 'desc').limit(SEGMENTS_PER_READ).execute();
    for (const segment of segments) {
      if (found.length >= keep && segment.last_time < found[keep - 1]!.time) break walk;
      forEachRecord(segment, (r) => {
        if (match(r)) found.push(r);
      });
      found.sort(newer);
      if (found.length > keep) found = found.slice(0, keep);
      after = { last: segment.last_time, id: segment.id };
    }
    if (segments.length < SEGMENTS_PER_READ) break;
  }
  const items = found.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: found.length > q.limit && last ? encodeCursor([last.time, last.id]) : null };
}

/** One request log by id, or undefined when there is none (or it aged out). */
export async function getRequestLog(db: Kysely<DB>, id: string): Promise<RequestRecord | undefined> {
  let query = db.selectFrom('request_log_segments').select(['row_count', 'strings', 'data', 'format']);
  // Gatehouse's own ids carry their call's time: only the segments spanning it can hold the entry.
  const ms = timeOfLogId(id);
  if (ms !== null) {
    const time = new Date(ms).toISOString();
    query = query.where('first_time', '<=', time).where('last_time', '>=', time);
  }
  for (const segment of await query.execute()) {
    let hit: RequestRecord | undefined;
    forEachRecord(segment, (r) => {
      if (hit === undefined && r.id === id) hit = r;
    });
    if (hit) return hit;
  }
  return undefined;
}
