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
      const active = raw === undefined ? detectors : detectorsForBody(detectors, raw);
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
        const matches = scanText(text, active, budget);
        if (matches.length === 0) return undefined;
        for (const m of matches) count(m.kind);
        return redact ? redactText(text, matches) : undefined;
      };
      const out = walkJson(value, visit) as T;
      return { counts, total, value: out };
    },
  };
}
