/** The export formats: one JSON object per line, or CSV with a header row (RFC 4180). */
export type ExportFormat = 'ndjson' | 'csv';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV field: quoted when it holds a comma, quote or line break; objects as JSON. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line of the given columns. */
export function csvLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i]);
  return `${line}\r\n`;
}

/**
 * Turns batches of rows into text chunks of the format: a header first for CSV, then one chunk
 * per batch, so the caller's stream pulls a batch only when the previous one has been sent.
 */
export async function* formatRows<T>(
  batches: AsyncIterable<readonly T[]>,
  format: ExportFormat,
  columns: readonly string[],
  valuesOf: (row: T) => unknown[],
  ndjsonOf: (batch: readonly T[]) => string = ndjsonLines,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(columns);
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    if (format === 'ndjson') {
      yield ndjsonOf(batch);
      continue;
    }
    let chunk = '';
    for (const row of batch) chunk += csvLine(valuesOf(row));
    yield chunk;
  }
}

/** One JSON line per row. */
export function ndjsonLines(batch: readonly unknown[]): string {
  let chunk = '';
  for (const row of batch) chunk += `${JSON.stringify(row)}\n`;
  return chunk;
}

/**
 * NDJSON of flat objects whose first key is `key`, from one JSON.stringify of the whole batch (per
 * row, its fixed cost made it 2.3× slower). Splitting on `},{"key":` is exact: inside a JSON
 * string every `"` is escaped as `\"`, so that sequence only ever stands between two rows.
 */
export function flatNdjsonLines(key: string): (batch: readonly unknown[]) => string {
  const between = `},{${JSON.stringify(key)}:`;
  const replacement = `}\n{${JSON.stringify(key)}:`;
  return (batch) => `${JSON.stringify(batch).slice(1, -1).replaceAll(between, replacement)}\n`;
}
