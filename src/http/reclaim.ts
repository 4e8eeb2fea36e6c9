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

/** V8's `--semi-space-growth-factor` unless the operator set one: what a hold restores. */
const GROWTH_FACTOR = 2;
// Node refuses it in NODE_OPTIONS: the command line is the only place an operator sets it.
const operatorSetGrowth = () => process.execArgv.some((arg) => /^--semi[-_]space[-_]growth[-_]factor/.test(arg));
/** Holds under way (nodes started side by side in one process, as tests do): the last one released ends it. */
let holds = 0;

/**
 * Collects garbage now and keeps V8's young generation at the size that leaves (its smallest) until
 * the returned function is called, for a start-up phase that builds a large long-lived structure.
 * V8 doubles the young generation each time as much as it holds survives a scavenge, up to
 * --max-semi-space-size: loading the config snapshot took it to 32 MB (resident, and not given
 * back until serve's final collection) on top of the snapshot itself; with 10,000 endpoints and
 * 100,000 credentials start-up peaked at 190–210 MB RSS for an idle 155. Held, a young generation of 1–2 MB promotes more short-lived objects,
 * so the phase should keep its working set small (pages of rows, not whole tables). The growth
 * factor is V8's flag for all isolates of the process; it is read at each growth, so setting it
 * back ends the hold. Nothing is held where the operator set the factor or V8 refuses a collection.
 */
export function collectAndHoldYoungGeneration(): () => void {
  const collect = collector();
  collect?.();
  if (!collect || operatorSetGrowth()) return () => {};
  if (holds++ === 0) setFlagsFromString('--semi-space-growth-factor=1');
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holds === 0) setFlagsFromString(`--semi-space-growth-factor=${GROWTH_FACTOR}`);
  };
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
