/** How one segment of a path template matches: literally, as a whole parameter, or as literal text around parameters (`{id}.json`, `{name}:batchGet`). */
export type SegmentMatcher =
  | { readonly kind: 'static'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'pattern'; readonly source: string; readonly regex: RegExp; readonly names: readonly string[] };

const PARAM = /\{([^{}]+)\}/g;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles one template segment; a parameter inside a segment matches at least one character, as few as the literal text after it allows. */
export function compileSegment(seg: string): SegmentMatcher {
  const whole = /^\{([^{}]+)\}$/.exec(seg);
  if (whole) return { kind: 'param', name: whole[1]! };
  if (!seg.includes('{')) return { kind: 'static', text: seg };
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const m of seg.matchAll(PARAM)) {
    source += `${escapeRegex(seg.slice(last, m.index))}([^/]+?)`;
    names.push(m[1]!);
    last = m.index + m[0].length;
  }
  source += escapeRegex(seg.slice(last));
  return { kind: 'pattern', source: seg, regex: new RegExp(`^${source}$`), names };
}

/** The parameter values of one request segment, or null when it does not match. */
export function matchSegment(m: SegmentMatcher, value: string): Record<string, string> | null {
  if (m.kind === 'static') return m.text === value ? {} : null;
  if (m.kind === 'param') return { [m.name]: value };
  const hit = m.regex.exec(value);
  if (!hit) return null;
  const out: Record<string, string> = {};
  m.names.forEach((name, i) => {
    out[name] = hit[i + 1]!;
  });
  return out;
}
