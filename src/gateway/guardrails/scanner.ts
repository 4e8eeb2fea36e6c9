import { isAscii } from 'node:buffer';
import type { Match } from './match.js';
import { normalizeText } from './normalize-text.js';
import { type PiiScanOptions, type Searchable, detectorsFor, detectorsForBody, labelOf, redactText, scanText } from './pii.js';
import { looksGenerated, secretName } from './secrets.js';
import { newScanBudget } from './match.js';
import { walkJson } from './walk.js';

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
  scan<T>(value: T, redact: boolean, raw?: Searchable): PiiScanResult<T>;
}

/** Builds a scanner for these families (the detectors are set up once, e.g. per workflow snapshot). */
export function createPiiScanner(opts: PiiScanOptions): PiiScanner {
  const detectors = detectorsFor(opts);
  const secrets = opts.types.includes('secret');
  const minEntropy = opts.minEntropy ?? 3.5;
  return {
    scan<T>(value: T, redact: boolean, raw?: Searchable): PiiScanResult<T> {
      // A body in other scripts may spell an `@` or a prefix in look-alike characters NFKC folds.
      const gated = raw !== undefined && !(Buffer.isBuffer(raw) && !isAscii(raw));
      const active = gated ? detectorsForBody(detectors, raw) : detectors;
      const budget = newScanBudget();
      const counts: Counts = {};
      let total = 0;
      const count = (kind: string) => {
        counts[kind] = (counts[kind] ?? 0) + 1;
        total++;
      };
      const visit = (text: string, field: string | null): string | undefined => {
        // A field named like a secret (`"client_secret": "…"`) holding a generated-looking value.
        if (secrets && field !== null && text.length >= 16 && secretName(field) && looksGenerated(text, minEntropy)) {
          count('api_key');
          return redact ? labelOf('api_key') : undefined;
        }
        // Judged on what the model reads (entities, percent-escapes, NFKC, invisible characters);
        // redacted on the original, each finding mapped back to the characters that spelled it.
        const view = normalizeText(text);
        const matches = scanText(view.text, active, budget);
        if (matches.length === 0) return undefined;
        for (const m of matches) count(m.kind);
        if (!redact) return undefined;
        return redactText(text, view.changed ? onOriginal(matches, view.toOriginal) : matches);
      };
      const out = walkJson(value, visit) as T;
      return { counts, total, value: out };
    },
  };
}

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
