import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CLIENTS, createRequestLogWriter, createTelemetryMetrics, renderMetrics } from '../../src/telemetry/index.js';
import type { RequestRecord } from '../../src/core/index.js';
import { openDatabase } from '../../src/store/database.js';
import { forEachRecord } from '../../src/telemetry/segments.js';
import { RequestLogSpool } from '../../src/telemetry/spool.js';
import type { WriterChannel } from '../../src/telemetry/writer-link.js';
import type { WriterReply } from '../../src/telemetry/writer-protocol.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';
import { databaseOptions, dataset, errorsOf, rec } from './telemetry-fixtures.js';

const quiet = { error: () => {} };

/** Every raw call stored, decoded from the segments as written. */
async function rawRecords(t: TestDatabase): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for (const segment of await t.db.selectFrom('request_log_segments').select(['row_count', 'strings', 'data', 'format']).execute()) {
    forEachRecord(segment, (r) => out.push(r));
  }
  return out;
}

async function rawCount(t: TestDatabase): Promise<number> {
  return (await rawRecords(t)).length;
}

/** Counts `rows` by `key`, as `key|count|…sums` lines, sorted. */
function groupLines(rows: RequestRecord[], key: (r: RequestRecord) => string, sums: Array<(r: RequestRecord) => number>): string[] {
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const k = key(r);
    const acc = groups.get(k) ?? new Array<number>(sums.length + 1).fill(0);
    acc[0]! += 1;
    sums.forEach((f, i) => {
      acc[i + 1]! += f(r);
    });
    groups.set(k, acc);
  }
  return [...groups].map(([k, v]) => [k, ...v].join('|')).sort();
}

async function rollupTotal(t: TestDatabase, resolution: string, clientId = ALL_CLIENTS): Promise<number> {
  const r = await t.db
    .selectFrom('metric_rollups')
    .select((eb) => eb.fn.sum('count').as('n'))
    .where('resolution', '=', resolution)
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow();
  return Number(r.n ?? 0);
}

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const dialect of await dialects()) {
  describe(`request-log writer (${dialect})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => {
      await t.drop();
    });
    beforeEach(async () => {
      await t.db.deleteFrom('request_log_segments').execute();
      await t.db.deleteFrom('metric_rollups').execute();
      await t.db.deleteFrom('metric_totals').execute();
    });

    it('writes a full batch without waiting for the timer, and the rest on flush', async () => {
      const w = createRequestLogWriter({ database: databaseOptions(t), batchSize: 4, flushIntervalMs: 3_600_000, logger: quiet });
      for (let i = 0; i < 4; i++) w.record(rec());
      await waitFor(async () => (await rawCount(t)) === 4);
      for (let i = 0; i < 3; i++) w.record(rec());
      expect(await rawCount(t)).toBe(4);
      await w.flush();
      expect(await rawCount(t)).toBe(7);
      await w.close();
    });

    it('writes on its timer', async () => {
      const w = createRequestLogWriter({ database: databaseOptions(t), flushIntervalMs: 20, logger: quiet });
      w.record(rec());
      await waitFor(async () => (await rawCount(t)) === 1);
      await w.close();
    });

    it('stores every field as recorded', async () => {
      const w = createRequestLogWriter({ database: databaseOptions(t), logger: quiet });
      const r = rec({
        channel: 'mcp',
        upstreamLatencyMs: null,
        latencyMs: 12.75,
        mcpClient: 'claude-code/2.1',
        mcpTool: 'execute_call',
        requestBody: '{"a":1}',
        responseBody: 'ok',
        errorCode: 'X',
      });
      w.record(r);
      await w.close();
      expect(await rawRecords(t)).toEqual([r]);
    });

    it('keeps rollups equal to the raw rows at every resolution', async () => {
      const records = dataset(1500, Date.parse('2026-03-09T20:00:00Z'), 2 * 86_400_000, 7);
      const w = createRequestLogWriter({ database: databaseOptions(t), batchSize: 200, logger: quiet });
      // Several flushes add into the same rollup rows: the upsert must add, not overwrite.
      for (const [i, r] of records.entries()) {
        w.record(r);
        if (i % 400 === 0) await w.flush();
      }
      await w.close();
      expect(await rawCount(t)).toBe(1500);

      const raw = await rawRecords(t);
      const isErr = (r: RequestRecord) => (r.status >= 400 || r.errorCode !== null ? 1 : 0);
      const fromRaw = groupLines(
        raw,
        (r) => [r.time.slice(0, 16), r.collectionId ?? '', r.endpointId ?? '', r.clientId ?? '', r.method, r.status, r.channel].join('|'),
        [(r) => r.bytesIn, (r) => r.bytesOut, isErr],
      );
      const fromRollups = await t.db
        .selectFrom('metric_rollups')
        .select(['bucket', 'collection_id', 'endpoint_id', 'client_id', 'method', 'status', 'channel', 'count', 'bytes_in', 'bytes_out', 'errors'])
        .where('resolution', '=', 'minute')
        .where('client_id', '<>', ALL_CLIENTS)
        .execute();
      const rollupLines = fromRollups
        .map((r) =>
          [r.bucket, r.collection_id, r.endpoint_id, r.client_id, r.method, r.status, r.channel, r.count, r.bytes_in, r.bytes_out, r.errors]
            .map(String)
            .join('|'),
        )
        .sort();
      expect(rollupLines).toEqual(fromRaw);

      const totalsFromRaw = groupLines(raw, (r) => [r.time.slice(0, 13), r.collectionId ?? '', r.channel].join('|'), [
        (r) => (r.status >= 400 && r.status < 500 ? 1 : 0),
        (r) => (r.status >= 500 ? 1 : 0),
        isErr,
        (r) => r.bytesIn,
      ]);
      const totals = await t.db
        .selectFrom('metric_totals')
        .select(['bucket', 'collection_id', 'channel', 'count', 'client_errors', 'server_errors', 'errors', 'bytes_in'])
        .where('resolution', '=', 'hour')
        .where('client_id', '=', ALL_CLIENTS)
        .execute();
      const totalLines = totals
        .map((r) => [r.bucket, r.collection_id, r.channel, r.count, r.client_errors, r.server_errors, r.errors, r.bytes_in].map(String).join('|'))
        .sort();
      expect(totalLines).toEqual(totalsFromRaw);

      for (const res of ['minute', 'hour', 'day']) {
        expect(await rollupTotal(t, res)).toBe(1500);
        expect(await rollupTotal(t, res, 'cli_b')).toBe(records.filter((r) => r.clientId === 'cli_b').length);
      }
      const errs = await t.db
        .selectFrom('metric_rollups')
        .select((eb) => eb.fn.sum('errors').as('n'))
        .where('resolution', '=', 'day')
        .where('client_id', '=', ALL_CLIENTS)
        .executeTakeFirstOrThrow();
      expect(Number(errs.n)).toBe(errorsOf(records));
    });

    it('drops and counts records beyond the buffer without blocking, but still counts them in rollups', async () => {
      const metrics = createTelemetryMetrics();
      const w = createRequestLogWriter({ database: databaseOptions(t), maxBuffer: 50, batchSize: 1000, flushIntervalMs: 3_600_000, metrics, logger: quiet });
      // record() returns at once: the loop runs to its end with nothing written, and the drops are counted by then.
      for (let i = 0; i < 10_000; i++) w.record(rec());
      const text = await renderMetrics(metrics.registry);
      expect(text).toContain('gatehouse_request_logs_dropped_total{reason="overflow"} 9950');
      expect(text).toContain('gatehouse_requests_total{channel="rest",method="GET",status_class="2xx"} 10000');
      await w.close();
      expect(await rawCount(t)).toBe(50);
      expect(await rollupTotal(t, 'minute')).toBe(10_000);
    });

    it('flushes everything on close, and drops (counted) what arrives after', async () => {
      const metrics = createTelemetryMetrics();
      const w = createRequestLogWriter({ database: databaseOptions(t), batchSize: 7, flushIntervalMs: 3_600_000, metrics, logger: quiet });
      for (let i = 0; i < 100; i++) w.record(rec());
      await w.close();
      expect(await rawCount(t)).toBe(100);
      expect(await rollupTotal(t, 'day')).toBe(100);
      w.record(rec());
      expect(await renderMetrics(metrics.registry)).toContain('gatehouse_request_logs_dropped_total{reason="closed"} 1');
    });

    it('normalizes times to one canonical form and drops records it cannot read', async () => {
      const metrics = createTelemetryMetrics();
      const w = createRequestLogWriter({ database: databaseOptions(t), metrics, logger: quiet });
      w.record(rec({ id: 'offset', time: '2026-03-10T12:30:00+02:00' }));
      w.record(rec({ id: 'bad', time: 'yesterday' }));
      w.record(rec({ id: 'nan', latencyMs: Number.NaN }));
      await w.close();
      const rows = (await rawRecords(t)).map((r) => ({ id: r.id, time: r.time }));
      expect(rows).toEqual([{ id: 'offset', time: '2026-03-10T10:30:00.000Z' }]);
      expect(await renderMetrics(metrics.registry)).toContain('gatehouse_request_logs_dropped_total{reason="invalid"} 2');
    });

    it('never loses a batch over a repeated id', async () => {
      const w = createRequestLogWriter({ database: databaseOptions(t), logger: quiet });
      const r = rec();
      const other = rec();
      w.record(r);
      await w.flush();
      w.record(r);
      w.record(other);
      await w.close();
      expect((await rawRecords(t)).map((x) => x.id).sort()).toEqual([r.id, r.id, other.id].sort());
    });

    it('deletes raw logs past retention and keeps their rollups', async () => {
      const w = createRequestLogWriter({ database: databaseOptions(t), retentionDays: 7, logger: quiet });
      const old = Date.now() - 8 * 86_400_000;
      for (let i = 0; i < 30; i++) w.record(rec({ time: new Date(old + i * 1000).toISOString() }));
      for (let i = 0; i < 5; i++) w.record(rec());
      await w.flush();
      expect(await w.prune()).toBe(30);
      expect(await rawCount(t)).toBe(5);
      expect(await rollupTotal(t, 'minute')).toBe(35);
      await w.close();
    });

    it('spools batches on local disk while the database is unreachable, and a later writer replays them once', async () => {
      const spoolDir = mkdtempSync(join(tmpdir(), 'gatehouse-spool-'));
      const metrics = createTelemetryMetrics();
      const errors: string[] = [];
      // A PostgreSQL that refuses connections: nothing listens on port 1.
      const down = createRequestLogWriter({
        database: { dataDir: spoolDir, url: 'postgres://postgres@127.0.0.1:1/none' },
        spoolDir,
        metrics,
        logger: { error: (_o, msg) => errors.push(msg) },
      });
      for (let i = 0; i < 3; i++) down.record(rec());
      await down.flush();
      down.record(rec());
      await down.flush();
      await down.close();
      // Reported once for the outage, and nothing dropped.
      expect(errors).toEqual(['request-log database unavailable: spooling request logs on local disk until it is back']);
      const text = await renderMetrics(metrics.registry);
      expect(text).toMatch(/gatehouse_request_log_spool_bytes [1-9]\d*/);
      expect(text).not.toContain('gatehouse_request_logs_dropped_total{reason="write_error"}');
      expect(readdirSync(spoolDir).filter((f) => f.startsWith('left-'))).toHaveLength(1);

      const up = createRequestLogWriter({ database: databaseOptions(t), spoolDir, logger: quiet });
      // A flush waits for the replay the writer starts with.
      await up.flush();
      await up.close();
      expect(await rawCount(t)).toBe(4);
      expect(await rollupTotal(t, 'minute')).toBe(4);
      expect(readdirSync(spoolDir)).toEqual([]);
      rmSync(spoolDir, { recursive: true, force: true });
    });

    it('stores a batch replayed with the id of one already written only once', async () => {
      const spoolDir = mkdtempSync(join(tmpdir(), 'gatehouse-spool-'));
      const w = createRequestLogWriter({ database: databaseOptions(t), spoolDir, logger: quiet });
      for (let i = 0; i < 2; i++) w.record(rec());
      await w.flush();
      await w.close();
      const [segment] = await t.db.selectFrom('request_log_segments').select(['id']).execute();
      // A crash between the database write and the spool's truncation leaves the batch in both.
      const spool = new RequestLogSpool(spoolDir, 1_048_576);
      const stored = await t.db.selectFrom('request_log_segments').selectAll().executeTakeFirstOrThrow();
      spool.append({
        batch: {
          id: segment!.id,
          rows: stored.row_count,
          strings: JSON.parse(stored.strings as string),
          format: stored.format,
          bytes: new Uint8Array(stored.data as Uint8Array),
        },
        cells: [],
      });
      spool.close();
      const again = createRequestLogWriter({ database: databaseOptions(t), spoolDir, logger: quiet });
      await again.flush();
      await again.close();
      expect(readdirSync(spoolDir)).toEqual([]);
      expect(await rawCount(t)).toBe(2);
      rmSync(spoolDir, { recursive: true, force: true });
    });

    it('keeps raw logs forever with retention 0', async () => {
      const w = createRequestLogWriter({ database: databaseOptions(t), retentionDays: 0, logger: quiet });
      w.record(rec({ time: '2020-01-01T00:00:00.000Z' }));
      await w.flush();
      expect(await w.prune()).toBe(0);
      expect(await rawCount(t)).toBe(1);
      await w.close();
    });
  });
}

describe('request-log writer on a failing database', () => {
  it('logs and counts a failed write, never throwing', async () => {
    // Not migrated: every write fails.
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    const broken = openDatabase({ dataDir: dir });
    const metrics = createTelemetryMetrics();
    const errors: string[] = [];
    const w = createRequestLogWriter({ database: { dataDir: dir }, metrics, logger: { error: (_o, msg) => errors.push(msg) } });
    w.record(rec());
    w.record(rec());
    await expect(w.flush()).resolves.toBeUndefined();
    await w.close();
    expect(errors).toEqual(['request-log batch write failed']);
    const text = await renderMetrics(metrics.registry);
    expect(text).toContain('gatehouse_request_log_write_errors_total 1');
    expect(text).toContain('gatehouse_request_logs_dropped_total{reason="write_error"} 2');
    await broken.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a locked SQLite file the spool absorbs as one warning, and the batches spooled when it is back', async () => {
    // The writer thread's answers while a large apply holds SQLite's lock (busy_timeout passed), then once it is free.
    const locked = { id: 0, spooled: true, error: { name: 'SqliteError', message: 'database is locked' } };
    const replies: WriterReply[] = [locked, locked, { id: 0 }];
    const link: WriterChannel = { request: async () => replies.shift() ?? { id: 0 }, close: async () => {} };
    const lines: string[] = [];
    const log = (level: string) => (_o: unknown, msg: string) => lines.push(`${level}: ${msg}`);
    const w = createRequestLogWriter({
      database: { dataDir: tmpdir() },
      spoolDir: null,
      link,
      logger: { error: log('error'), warn: log('warn'), info: log('info') },
    });
    for (let i = 0; i < 3; i++) {
      w.record(rec());
      await w.flush();
    }
    await w.close();
    expect(lines).toEqual([
      'warn: request-log database busy: spooling request logs on local disk until it takes them',
      'info: request-log database is back: the spooled request logs are written',
    ]);
  });
});
