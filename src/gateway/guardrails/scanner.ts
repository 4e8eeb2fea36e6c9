import { isAscii } from 'node:buffer';
import { type Match, newScanBudget, resolveOverlaps, type ScanBudget } from './match.js';
import { normalizeText } from './normalize-text.js';
import { wrappedRuns } from './wrapped-text.js';
import { type GatedDetector, type PiiScanOptions, type Searchable, detectorsFor, detectorsForBody, labelOf, redactText, scanText } from './pii.js';
import { looksGenerated, looksLikePassword, passwordName, secretName } from './secrets.js';
import { OVERLAP_CHARS, runNow, WINDOW_CHARS, type Work, windowsOf } from './slicing.js';
import { DEFER, walkJsonSteps } from './walk.js';

/** The shortest key that can hold a finding (`a@b.co`, an IP's `1.2.3.4`): shorter ones are names. */
const MIN_PII_KEY = 6;
/** Distinct keys whose findings a scan remembers: a body repeats its few keys in every record. */
const MAX_KEYS_REMEMBERED = 4_096;

/** The longest text read in one window (slicing.ts's windowsOf). */
const ONE_WINDOW = WINDOW_CHARS + OVERLAP_CHARS;

/** What a scan found: matches by kind (`email: 2`), never the matched values. */
export type Counts = Record<string, number>;

/** A scan's outcome: the counts, and (when redacting) the value with every match replaced by its label. */
export interface PiiScanResult<T> {
  counts: Counts;
  total: number;
  value: T;
}

/**
 * A PII and secret scanner over any value an API call or an MCP call carries: a text, or a JSON
 * value (a REST body, tool arguments, a tool result's structured content, resource contents,
 * prompt messages) walked by value. Pure: no I/O, no state between scans.
 */
export interface PiiScanner {
  /**
   * Scans and, with `redact`, returns a copy-free redaction (JSON values are edited in place).
   * `raw`, the body the value was parsed from, lets detectors that cannot match it be skipped.
   */
  scan<T>(value: T, redact: boolean, raw?: Searchable, onMatches?: OnMatches): PiiScanResult<T>;
  /** The same scan as resumable work, for a driver that gives the event loop back between slices (slicing.ts). */
  scanSteps<T>(value: T, redact: boolean, raw?: Searchable, onMatches?: OnMatches): Work<PiiScanResult<T>>;
}

/** Told each text a scan found something in, with where (a caller that redacts a text the value only stands for: an event stream's). */
export type OnMatches = (text: string, matches: readonly Match[]) => void;

/** Builds a scanner for these families (the detectors are set up once, e.g. per workflow snapshot). */
export function createPiiScanner(opts: PiiScanOptions): PiiScanner {
  const detectors = detectorsFor(opts);
  const secrets = opts.types.includes('secret');
  const minEntropy = opts.minEntropy ?? 3.5;
  function* scanSteps<T>(value: T, redact: boolean, raw?: Searchable, onMatches?: OnMatches): Work<PiiScanResult<T>> {
    // A body in other scripts may spell an `@` or a prefix in look-alike characters NFKC folds.
    const gated = raw !== undefined && asciiOnly(raw);
    const active = gated ? detectorsForBody(detectors, raw) : detectors;
    const budget = newScanBudget(bodyLength(value, raw));
    const counts: Counts = {};
    let total = 0;
    const count = (kind: string) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      total++;
    };
    // A field named like a secret (`"client_secret": "…"`) holding a generated-looking value.
    const secretField = (text: string, field: string | null) =>
      secrets &&
      field !== null &&
      text.length >= 8 &&
      secretName(field) &&
      (passwordName(field) ? looksLikePassword(text) : text.length >= 16 && looksGenerated(text, minEntropy));
    const settle = (text: string, found: readonly Match[]): string | undefined => {
      if (found.length === 0) return undefined;
      for (const m of found) for (const kind of m.kinds ?? [m.kind]) count(kind);
      onMatches?.(text, found);
      return redact ? redactText(text, found) : undefined;
    };
    // A text that fits one window is judged at once (most texts of a body: no generator, no window list).
    const visitNow = (text: string, field: string | null): unknown => {
      if (text.length > ONE_WINDOW) return DEFER;
      if (secretField(text, field)) {
        count('api_key');
        onMatches?.(text, [{ kind: 'api_key', start: 0, end: text.length }]);
        return redact ? labelOf('api_key') : undefined;
      }
      return settle(text, windowMatches(text, 0, text.length, active, budget, field));
    };
    const visit = function* (text: string, field: string | null): Work<string | undefined> {
      if (secretField(text, field)) {
        count('api_key');
        onMatches?.(text, [{ kind: 'api_key', start: 0, end: text.length }]);
        return redact ? labelOf('api_key') : undefined;
      }
      const matches: Match[] = [];
      const windows = windowsOf(text.length);
      for (const w of windows) {
        for (const m of windowMatches(text, w.from, w.to, active, budget, field)) if (m.start >= w.start && m.start < w.end) matches.push(m);
        if (windows.length > 1) yield;
      }
      // Windows overlap: a finding read in two of them, or one inside another's, counts once.
      return settle(text, windows.length > 1 ? resolveOverlaps(matches) : matches);
    };
    // A body none of whose texts any detector could match (no `@` for the e-mail scan, no keyword
    // for the provider keys) is not walked at all; a secret-named field still could be, so not then.
    if (active.length === 0 && !secrets) return { counts, total, value };
    // A key is read as a text of its own (a map keyed by e-mail address or phone number), each distinct key once.
    const keyFindings = new Map<string, readonly Match[]>();
    const onKey = (key: string): string | undefined => {
      if (key.length < MIN_PII_KEY) return undefined;
      let found = keyFindings.get(key);
      if (found === undefined) {
        found = windowMatches(key, 0, key.length, active, budget, null);
        if (keyFindings.size < MAX_KEYS_REMEMBERED) keyFindings.set(key, found);
      }
      return settle(key, found);
    };
    // JSON inside a text (a tool result's text twin) is read by value: escaped, a value after `\n` was not found.
    const out = (yield* walkJsonSteps(value, visit, visitNow, { openJson: true, onKey })) as T;
    return { counts, total, value: out };
  }
  return {
    scan: (value, redact, raw, onMatches) => runNow(scanSteps(value, redact, raw, onMatches)),
    scanSteps,
  };
}

/** Whether a raw body is ASCII (a look for an `@` in it then settles whether NFKC could make one). */
function asciiOnly(raw: Searchable): boolean {
  if (Buffer.isBuffer(raw)) return isAscii(raw);
  // A string is ASCII when its UTF-8 takes one byte a character.
  return typeof raw === 'string' && Buffer.byteLength(raw, 'utf8') === raw.length;
}

/** The size of the body a scan reads, for its budget: the raw body's, else the text's (a JSON value without its raw body gets the least budget). */
function bodyLength(value: unknown, raw: Searchable | undefined): number {
  if (Buffer.isBuffer(raw) || typeof raw === 'string') return raw.length;
  return typeof value === 'string' ? value.length : 0;
}

/**
 * The findings in `text[from, to)`, on the original characters: judged on what the model reads
 * (entities, percent-escapes, NFKC, invisible characters), each finding mapped back to the
 * characters that spelled it. A JSON value is read after its field's name, as it stands in the
 * document (`version: 4.2.0.1` is a version, not an address; `phone: 4155550134` a number).
 */
function windowMatches(
  text: string,
  from: number,
  to: number,
  active: readonly GatedDetector[],
  budget: ScanBudget,
  field: string | null,
  unwrapped = 0,
): Match[] {
  const piece = from === 0 && to === text.length ? text : text.slice(from, to);
  const named = from === 0 && field !== null && field.length <= MAX_FIELD_CONTEXT ? `${field}: ` : '';
  const view = normalizeText(named === '' ? piece : named + piece);
  const matches = scanText(view.text, active, budget);
  let onPiece = view.changed ? onOriginal(matches, view.toOriginal) : matches;
  if (named !== '')
    onPiece = onPiece.filter((m) => m.start >= named.length).map((m) => ({ kind: m.kind, start: m.start - named.length, end: m.end - named.length }));
  if (unwrapped < MAX_UNWRAP) onPiece = withWrapped(piece, onPiece, active, budget, unwrapped);
  return from === 0 ? onPiece : onPiece.map((m) => ({ ...m, start: m.start + from, end: m.end + from }));
}

/** How many wrappings inside one another are read (base64 of base64 text). */
const MAX_UNWRAP = 2;

/**
 * The findings in what a piece's base64 and hex runs spell (wrapped-text.ts), each run one finding of its own that is
 * written again, encoded as it was, with what it spells redacted; a run inside a finding already made is left to it.
 */
function withWrapped(piece: string, found: Match[], active: readonly GatedDetector[], budget: ScanBudget, unwrapped: number): Match[] {
  const runs = wrappedRuns(piece, piece.length);
  if (runs.length === 0) return found;
  const out = [...found];
  for (const run of runs) {
    if (found.some((m) => m.start < run.end && run.start < m.end)) continue;
    const inner = windowMatches(run.text, 0, run.text.length, active, budget, null, unwrapped + 1);
    if (inner.length === 0) continue;
    const kinds = inner.flatMap((m) => m.kinds ?? [m.kind]);
    out.push({ kind: kinds[0]!, kinds, start: run.start, end: run.end, replacement: run.wrap(redactText(run.text, inner)) });
  }
  return out.length === found.length ? found : out.sort((a, b) => a.start - b.start);
}

/** The longest field name read before its value (a name, not a text: longer keys are not context). */
const MAX_FIELD_CONTEXT = 64;

/** Matches on a normalized view moved onto the original text, overlaps merged (two findings in one entity run become one). */
function onOriginal(matches: readonly Match[], toOriginal: (start: number, end: number) => [number, number]): Match[] {
  const out: Match[] = [];
  for (const m of matches) {
    const [start, end] = toOriginal(m.start, m.end);
    const last = out[out.length - 1];
    if (last !== undefined && start < last.end) out[out.length - 1] = { kind: last.kind, start: last.start, end: Math.max(last.end, end) };
    else out.push({ kind: m.kind, start, end });
  }
  return out;
}
