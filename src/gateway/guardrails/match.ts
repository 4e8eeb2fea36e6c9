/** One place in a text a detector recognised: its kind (`email`, `github_token`…) and where it is. */
export interface Match {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  /** What is written in its place instead of its label (a base64 run written again with its findings redacted). */
  readonly replacement?: string;
  /** The kinds found inside it, when it holds several findings (a base64 run); else just `kind`. */
  readonly kinds?: readonly string[];
}

/**
 * What one body's scan may still spend, shared by every text of that body: a JSON body of 60,000
 * short strings gets the same budget as one long string (budgets per body, not per string).
 */
export interface ScanBudget {
  /** Phone candidates that may still be parsed by libphonenumber (each costs tens of µs). */
  phoneParses: number;
  /** Verdicts of candidates already parsed in this body, so repeats cost nothing. */
  readonly phoneVerdicts: Map<string, boolean>;
}

/**
 * Parses a body may spend: one per 2 KiB of it, at least 150 (512 for a MiB; a parse costs 7–20 µs here:
 * ~10 ms a MiB at most). Past it a candidate is judged by its shape alone, failing closed (phone.ts).
 */
const PHONE_PARSES_MIN = 150;
const CHARS_PER_PHONE_PARSE = 2_048;

/** A fresh budget for one body of `chars` characters (or bytes). */
export function newScanBudget(chars = 0): ScanBudget {
  return { phoneParses: Math.max(PHONE_PARSES_MIN, Math.floor(chars / CHARS_PER_PHONE_PARSE)), phoneVerdicts: new Map() };
}

/** A detector: appends what it finds in `text` to `out`, spending from the body's budget. Each is a linear scan (no backtracking regex over unbounded input). */
export type Detector = (text: string, out: Match[], budget: ScanBudget) => void;

/** Whether a UTF-16 code unit is an ASCII letter or digit (token boundaries). */
export function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The matches of a text with overlaps resolved: the earliest wins, then the longest. */
export function resolveOverlaps(matches: Match[]): Match[] {
  if (matches.length < 2) return matches;
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Match[] = [];
  let end = -1;
  for (const m of matches) {
    if (m.start < end) continue;
    out.push(m);
    end = m.end;
  }
  return out;
}
