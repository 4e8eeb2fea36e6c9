import type { RequestRecord } from '../core/index.js';
import { RECORD_FIELDS } from './record-batch.js';

/** The record a decoded row holds (its values in RECORD_FIELDS order, as forEachRow gives them). */
export function recordFromValues(values: readonly unknown[]): RequestRecord {
  const r: Record<string, unknown> = {};
  for (let i = 0; i < RECORD_FIELDS.length; i++) r[RECORD_FIELDS[i]!] = values[i];
  return r as RequestRecord;
}

/**
 * The time as `YYYY-MM-DDTHH:MM:SS.sssZ`. Stored times compare as strings, so every row must use
 * this one form; the common case (already canonical) costs a length check.
 */
export function canonicalTime(time: string): string {
  if (time.length === 24 && time.charCodeAt(23) === 90 /* Z */ && time.charCodeAt(10) === 84 /* T */) return time;
  return new Date(time).toISOString();
}
