import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A request body at least this large leaves enough garbage behind to be worth collecting at once. */
export const LARGE_BODY_BYTES = 8 * 1_048_576;
/** How long after a large request the collection runs (its response is out by then), and how often at most. */
const DELAY_MS = 1_000;
const MIN_INTERVAL_MS = 10_000;

let collect: (() => void) | null | undefined;
let scheduled = false;
let lastRun = 0;

/** V8's `gc` extension: `last-resort` is the memory-reducing collection (what a low-memory notification runs). */
type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * V8's full collection: `--expose-gc` set at run time only exposes `gc` to contexts created
 * afterwards, so one new context holds it and the main context gets no `gc` global. Null where V8 refuses.
 * The memory-reducing flavour compacts and gives freed pages back to the OS: after start-up with
 * 10,000 endpoints and 100,000 credentials, RSS 213 → 178 MB against ~200 MB for a regular one.
 */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as Gc;
      collect = () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** One full garbage collection, now. */
export function collectGarbage(): void {
  collector()?.();
}

/**
 * Collects garbage once, shortly after a request with a large body (a 30 MB OpenAPI import, an
 * upload cut short). Nothing keeps such a document once its request is over, but V8 collects only
 * when more is allocated: a node that goes quiet after one kept ~200 MB of garbage (and the RSS
 * for it) indefinitely. At most once every 10 s, so a stream of large uploads costs one pause (a
 * full collection of a heap of that size takes tens of milliseconds) per 10 s.
 */
export function reclaimSoon(): void {
  if (scheduled) return;
  scheduled = true;
  const wait = Math.max(DELAY_MS, lastRun + MIN_INTERVAL_MS - Date.now());
  setTimeout(() => {
    scheduled = false;
    lastRun = Date.now();
    collectGarbage();
  }, wait).unref();
}

/** Whether a request declared a body large enough to call reclaimSoon after it. */
export function declaredLargeBody(headers: { 'content-length'?: string | undefined }): boolean {
  return Number(headers['content-length'] ?? 0) >= LARGE_BODY_BYTES;
}
