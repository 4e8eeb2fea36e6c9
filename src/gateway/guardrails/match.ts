/** One place in a text a detector recognised: its kind (`email`, `github_token`…) and where it is. */
export interface Match {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

/** A detector: appends what it finds in `text` to `out`. Each is a linear scan (no backtracking regex over unbounded input). */
export type Detector = (text: string, out: Match[]) => void;

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
