import { Readable } from 'node:stream';

// A top-level list longer than this is serialized a slice at a time.
const LONG_LIST = 2_000;
const SLICE_ITEMS = 500;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Whether a result holds a list long enough (a plan of 100,000 changes) that serializing it at once
 * would hold the event loop: at its top level, or one level down (a finished job's `result.changes`).
 */
export function hasLongList(value: unknown, depth = 1): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  return Object.values(value).some((v) => (Array.isArray(v) && v.length > LONG_LIST) || (depth > 0 && hasLongList(v, depth - 1)));
}

async function* chunks(value: Record<string, unknown>): AsyncGenerator<string> {
  let sep = '{';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (hasLongList(v, 0)) {
      // A value holding a long list of its own (a job's result) is serialized in slices the same way.
      yield `${sep}${JSON.stringify(key)}:`;
      yield* chunks(v);
    } else if (!Array.isArray(v) || v.length <= LONG_LIST) {
      yield `${sep}${JSON.stringify(key)}:${JSON.stringify(v)}`;
    } else {
      yield `${sep}${JSON.stringify(key)}:[`;
      for (let i = 0; i < v.length; i += SLICE_ITEMS) {
        // Each slice gives way first, so health checks and proxied calls are answered in between.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const slice = v.slice(i, i + SLICE_ITEMS).map((item) => JSON.stringify(item) ?? 'null');
        yield (i === 0 ? '' : ',') + slice.join(',');
      }
      yield ']';
    }
    sep = ',';
  }
  yield sep === '{' ? '{}' : '}';
}

/** The same JSON as `JSON.stringify(value)`, as a stream serialized a slice of its long lists at a time. */
export function jsonInSlices(value: Record<string, unknown>): Readable {
  return Readable.from(chunks(value));
}
