import type { Kysely } from 'kysely';
import type { RequestRecord } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { matcher, type RequestLogFilter, segmentsFor } from '../queries/request-logs.js';
import { RECORD_FIELDS } from '../record-batch.js';
import { forEachRecord } from '../segments.js';
import { type ExportFormat, flatNdjsonLines, formatRows } from './format.js';

// Segments (of up to 500 calls each) read per round trip.
const SEGMENTS_PER_READ = 16;

/**
 * Every retained call matching the filter, a segment's worth at a time, in the order they were
 * written (oldest batch first): read by keyset on (last_time, id), so memory stays at one page of
 * segments however many calls there are.
 */
export async function* requestLogBatches(db: Kysely<DB>, q: RequestLogFilter): AsyncGenerator<RequestRecord[]> {
  const unfiltered = Object.values(q).every((v) => v === undefined);
  const match = matcher(q, null);
  let after: { last: string; id: string } | null = null;
  for (;;) {
    let page = segmentsFor(db, q);
    if (after) {
      const { last, id } = after;
      page = page.where((eb) => eb.or([eb('last_time', '>', last), eb.and([eb('last_time', '=', last), eb('id', '>', id)])]));
    }
    const segments = await page.orderBy('last_time').orderBy('id').limit(SEGMENTS_PER_READ).execute();
    for (const segment of segments) {
      const found: RequestRecord[] = [];
      forEachRecord(segment, (r) => {
        if (unfiltered || match(r)) found.push(r);
      });
      yield found;
      after = { last: segment.last_time, id: segment.id };
    }
    if (segments.length < SEGMENTS_PER_READ) return;
  }
}

/** Request logs as NDJSON or CSV text chunks (CSV columns are the record's fields). */
export function requestLogExport(db: Kysely<DB>, q: RequestLogFilter, format: ExportFormat): AsyncGenerator<string> {
  return formatRows(
    requestLogBatches(db, q),
    format,
    RECORD_FIELDS,
    // Records are built with their keys in RECORD_FIELDS order (rows.ts), so their values are the columns.
    (r) => Object.values(r),
    flatNdjsonLines(RECORD_FIELDS[0]),
  );
}
