/**
 * Scans as resumable work: a detector walks a body as a generator that yields at safe points (after
 * a window of a long text, after a run of short ones), and a driver decides whether to go on or to
 * give the event loop back. A 1 MiB body then never holds the loop for more than one slice, while a
 * small one is still judged synchronously, in one go.
 */

/** A scan in steps: each `yield` is a point where it may pause; its return value is the verdict. */
export type Work<T> = Generator<void, T, void>;

/**
 * How long one slice of a scan may hold the event loop before the rest waits for the next turn. A
 * call that arrives meanwhile waits up to two slices (plus a step's overshoot), and a loaded machine
 * stretches each: 10 ms slices showed 40 ms health-check stalls here and 103 ms on a busy CI run.
 */
export const SLICE_MS = 5;

/** Runs work to its end at once: for callers that must answer synchronously (and for tests). */
export function runNow<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs work synchronously while it stays within one slice; past it, the rest runs in slices of
 * `sliceMs`, each after the event loop has had a turn (health checks, other calls, timers).
 */
export function runBounded<T>(work: Work<T>, sliceMs = SLICE_MS): T | Promise<T> {
  const started = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - started >= sliceMs) return resume(work, sliceMs);
  }
}

async function resume<T>(work: Work<T>, sliceMs: number): Promise<T> {
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const started = performance.now();
    for (;;) {
      const step = work.next();
      if (step.done) return step.value;
      if (performance.now() - started >= sliceMs) break;
    }
  }
}

/** `then` for a value that may or may not be a promise yet: synchronous when it is not. */
export function andThen<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** One window of a long text: detectors read `[from, to)`, and only what starts in `[start, end)` counts for it. */
export interface TextWindow {
  readonly from: number;
  readonly start: number;
  readonly end: number;
  readonly to: number;
}

/** The characters a window owns; texts up to this length plus the overlap are read whole. */
export const WINDOW_CHARS = 32_768;
/** Read before a window: detectors look at the character before a candidate (word boundaries). */
const CONTEXT_CHARS = 256;
/**
 * Read past a window, so a finding that starts in it is seen whole: longer than any PII value and
 * than a 4096-bit RSA private key in PEM (~3.3 KB); a longer one is redacted from its start to here.
 */
export const OVERLAP_CHARS = 4_096;

/** The windows a text is read in: one for a text that fits, else consecutive owned ranges with context and overlap. */
export function windowsOf(length: number, size = WINDOW_CHARS, overlap = OVERLAP_CHARS): TextWindow[] {
  if (length <= size + overlap) return [{ from: 0, start: 0, end: length, to: length }];
  const out: TextWindow[] = [];
  for (let start = 0; start < length; start += size) {
    const end = Math.min(length, start + size);
    out.push({ from: Math.max(0, start - CONTEXT_CHARS), start, end, to: Math.min(length, end + overlap) });
  }
  return out;
}
