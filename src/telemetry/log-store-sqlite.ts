import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { MetricRollupTable, MetricTotalTable, RequestLogSegmentTable } from '../store/schema.js';
import type { LogStore } from './log-store.js';
import type { RowBatch } from './record-batch.js';
import { pruneSegments } from './retention.js';
import { MCP_COUNTER_COLUMNS, MCP_GUARDRAIL_KEY, MCP_ROLLUP_KEY, type McpRollupRows, mcpRollupRows } from './mcp-rollups.js';
import { COUNTER_COLUMNS, expandCells, ROLLUP_KEY, TOTAL_KEY } from './rollups.js';
import { segmentRow } from './segments.js';

const ROLLUP_COLUMNS = [...ROLLUP_KEY, ...COUNTER_COLUMNS] as const;
const TOTAL_COLUMNS = [...TOTAL_KEY, ...COUNTER_COLUMNS, 'client_errors', 'server_errors'] as const;
const MCP_COLUMNS = [...MCP_ROLLUP_KEY, ...MCP_COUNTER_COLUMNS] as const;
const GUARDRAIL_COLUMNS = [...MCP_GUARDRAIL_KEY, 'count'] as const;
const SEGMENT_COLUMNS = [
  'id',
  'first_time',
  'last_time',
  'row_count',
  'statuses',
  'min_latency_ms',
  'max_latency_ms',
  'has_bodies',
  'strings',
  'data',
  'format',
] as const satisfies ReadonlyArray<keyof RequestLogSegmentTable>;

function upsertSql(table: string, columns: readonly string[], key: readonly string[], added: readonly string[]): string {
  const set = added.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
  return `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (${key.join(', ')}) do update set ${set}`;
}

// better-sqlite3 frees a statement only when V8 collects its wrapper, and V8 cannot see the native
// memory behind it: preparing per batch (as Kysely's driver does) grew the worker by ~100 MB under
// load. So every statement here is prepared once and reused.
/** The SQLite log store: its own better-sqlite3 connection with statements prepared once. */
export function openSqliteLogStore(dataDir: string): LogStore {
  // The same file and pragmas as openDatabase (src/store/database.ts).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new SQLite(join(dataDir, 'gatehouse.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  // better-sqlite3 defaults to a 16 MB page cache per connection. This one only appends (a segment
  // per batch, a few rollup rows), so 2 MB holds its working set: -16 MB RSS.
  db.pragma('cache_size = -2000');
  let statements:
    | {
        segment: SQLite.Statement;
        rollup: SQLite.Statement;
        total: SQLite.Statement;
        mcp: SQLite.Statement;
        guardrail: SQLite.Statement;
        deleteEnded: SQLite.Statement;
        straddling: SQLite.Statement;
        deleteSegment: SQLite.Statement;
      }
    | undefined;
  // Prepared on first use: an unmigrated database fails the write (counted), not the worker's start.
  const prepared = () =>
    (statements ??= {
      segment: db.prepare(
        `insert into request_log_segments (${SEGMENT_COLUMNS.join(', ')}) values (${SEGMENT_COLUMNS.map(() => '?').join(', ')}) on conflict (id) do nothing`,
      ),
      rollup: db.prepare(upsertSql('metric_rollups', ROLLUP_COLUMNS, ROLLUP_KEY, COUNTER_COLUMNS)),
      total: db.prepare(upsertSql('metric_totals', TOTAL_COLUMNS, TOTAL_KEY, [...COUNTER_COLUMNS, 'client_errors', 'server_errors'])),
      mcp: db.prepare(upsertSql('mcp_rollups', MCP_COLUMNS, MCP_ROLLUP_KEY, MCP_COUNTER_COLUMNS)),
      guardrail: db.prepare(upsertSql('mcp_guardrail_rollups', GUARDRAIL_COLUMNS, MCP_GUARDRAIL_KEY, ['count'])),
      deleteEnded: db.prepare('delete from request_log_segments where last_time < ? returning row_count'),
      straddling: db.prepare('select id, row_count, strings, data, format from request_log_segments where first_time < ? and last_time >= ?'),
      deleteSegment: db.prepare('delete from request_log_segments where id = ?'),
    });
  const insertSegment = (s: RequestLogSegmentTable) => prepared().segment.run(SEGMENT_COLUMNS.map((c) => s[c])).changes > 0;
  const write = db.transaction((batch: RowBatch, rollups: MetricRollupTable[], totals: MetricTotalTable[], mcp: McpRollupRows): boolean => {
    const s = prepared();
    // Already stored: a replay of a batch written before a crash.
    if (batch.rows > 0 && !insertSegment(segmentRow(batch))) return false;
    for (const r of rollups) s.rollup.run(ROLLUP_COLUMNS.map((c) => r[c]));
    for (const t of totals) s.total.run(TOTAL_COLUMNS.map((c) => t[c]));
    for (const m of mcp.calls) s.mcp.run(MCP_COLUMNS.map((c) => m[c]));
    for (const g of mcp.guardrails) s.guardrail.run(GUARDRAIL_COLUMNS.map((c) => g[c]));
    return true;
  });
  const replace = db.transaction((id: string, kept: RequestLogSegmentTable | null) => {
    prepared().deleteSegment.run(id);
    if (kept) insertSegment(kept);
  });
  return {
    async write(batch, cells) {
      const { rollups, totals } = expandCells(cells);
      // Take the write lock up front, as the main thread's transactions do.
      return write.immediate(batch, rollups, totals, mcpRollupRows(batch));
    },
    prune: (before) =>
      pruneSegments(
        {
          deleteEnded: async (b) => prepared().deleteEnded.all(b) as Array<Pick<RequestLogSegmentTable, 'row_count'>>,
          straddling: async (b) => prepared().straddling.all(b, b) as Array<Pick<RequestLogSegmentTable, 'id' | 'row_count' | 'strings' | 'data' | 'format'>>,
          replace: async (id, kept) => {
            replace.immediate(id, kept);
          },
        },
        before,
      ),
    checkpoint() {
      const [outcome] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
      return { log: outcome?.log ?? 0, checkpointed: outcome?.checkpointed ?? 0 };
    },
    async close() {
      db.close();
    },
  };
}
