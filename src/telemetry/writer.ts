import type { Kysely } from 'kysely';
import { pino } from 'pino';
import type { RequestRecord } from '../core/index.js';
import type { DB } from '../store/schema.js';
import type { TelemetryMetrics } from './prometheus.js';
import type { Recorder } from './recorder.js';
import { pruneRequestLogs } from './retention.js';
import { RollupAccumulator, upsertRollups } from './rollups.js';
import { canonicalTime, toRow } from './rows.js';

/** Where the writer reports failed writes; a pino logger fits. */
export interface TelemetryLogger {
  error(obj: object, msg: string): void;
}

export interface RequestLogWriterOptions {
  db: Kysely<DB>;
  /** Rows per multi-row insert (default 500; at most 1000, SQLite's bound-parameter limit). */
  batchSize?: number;
  flushIntervalMs?: number;
  /** Raw records held in memory at most; beyond it records are dropped and counted (default 20,000). */
  maxBuffer?: number;
  /** Raw logs older than this are deleted (default 7). 0 keeps them forever. Rollups are never deleted. */
  retentionDays?: number;
  retentionIntervalMs?: number;
  metrics?: TelemetryMetrics;
  logger?: TelemetryLogger;
}

export interface RequestLogWriter extends Recorder {
  /** Runs the retention job now; returns the number of raw rows deleted. */
  prune(): Promise<number>;
}

type DropReason = 'overflow' | 'write_error' | 'invalid' | 'closed';

const DAY_MS = 86_400_000;

/**
 * The request-log recorder: buffers records and per-minute rollups in memory and writes them in
 * batches on a timer, one transaction per batch, at most one flush at a time. Under overload raw
 * records are dropped (and counted) but still folded into the rollups, so metrics stay exact.
 */
export function createRequestLogWriter(opts: RequestLogWriterOptions): RequestLogWriter {
  const { db, metrics } = opts;
  const batchSize = Math.min(Math.max(opts.batchSize ?? 500, 1), 1000);
  const maxBuffer = opts.maxBuffer ?? 20_000;
  const retentionDays = opts.retentionDays ?? 7;
  const logger = opts.logger ?? pino({ name: 'gatehouse.telemetry' });

  let buffer: RequestRecord[] = [];
  const rollups = new RollupAccumulator();
  let inFlight: Promise<void> | undefined;
  let kicked = false;
  let closed = false;
  let pruning: Promise<number> | undefined;

  const drop = (reason: DropReason, n = 1): void => {
    metrics?.logsDropped.inc({ reason }, n);
  };

  const pending = (): boolean => buffer.length > 0 || rollups.size > 0;

  async function drain(): Promise<void> {
    while (pending()) {
      const batch = buffer.length > batchSize ? buffer.splice(0, batchSize) : buffer;
      if (batch === buffer) buffer = [];
      const rollupBatch = rollups.take();
      try {
        await db.transaction().execute(async (trx) => {
          if (batch.length > 0) {
            // A retried or duplicated id must not poison the whole batch.
            await trx
              .insertInto('request_logs')
              .values(batch.map(toRow))
              .onConflict((oc) => oc.column('id').doNothing())
              .execute();
          }
          await upsertRollups(trx, rollupBatch);
        });
      } catch (err) {
        // The batch is lost; stop here rather than hammer a failing database until the next tick.
        metrics?.logWriteErrors.inc();
        drop('write_error', batch.length);
        logger.error({ err, records: batch.length, rollups: rollupBatch.rollups.length }, 'request-log batch write failed');
        return;
      }
    }
  }

  async function flush(): Promise<void> {
    while (inFlight) await inFlight;
    if (!pending()) return;
    inFlight = drain().finally(() => {
      inFlight = undefined;
    });
    await inFlight;
  }

  const kick = (): void => {
    kicked = false;
    if (!inFlight) void flush();
  };

  function prune(): Promise<number> {
    if (!(retentionDays > 0)) return Promise.resolve(0);
    pruning ??= pruneRequestLogs(db, new Date(Date.now() - retentionDays * DAY_MS).toISOString())
      .catch((err: unknown) => {
        logger.error({ err }, 'request-log retention failed');
        return 0;
      })
      .finally(() => {
        pruning = undefined;
      });
    return pruning;
  }

  const flushTimer = setInterval(() => {
    if (!inFlight) void flush();
  }, opts.flushIntervalMs ?? 1000);
  flushTimer.unref();
  const retentionTimer = setInterval(() => void prune(), opts.retentionIntervalMs ?? 10 * 60_000);
  retentionTimer.unref();

  return {
    record(entry) {
      try {
        if (closed) return drop('closed');
        // One NaN would fail a NOT NULL column and take the whole batch with it.
        if (!Number.isFinite(entry.latencyMs + entry.bytesIn + entry.bytesOut + entry.status)) return drop('invalid');
        const time = canonicalTime(entry.time);
        metrics?.observeRequest(entry.channel, entry.method, entry.status, entry.latencyMs);
        rollups.add(entry, time);
        if (buffer.length >= maxBuffer) return drop('overflow');
        buffer.push(time === entry.time ? entry : { ...entry, time });
        // A full batch is written now rather than at the next tick, but never inside the caller's turn.
        if (buffer.length >= batchSize && !kicked && !inFlight) {
          kicked = true;
          setImmediate(kick);
        }
      } catch {
        drop('invalid');
      }
    },
    flush,
    prune,
    async close() {
      closed = true;
      clearInterval(flushTimer);
      clearInterval(retentionTimer);
      await flush();
      // A record may land between the drain's last check and its settling; one more pass takes it.
      if (pending()) await flush();
      await pruning;
    },
  };
}
