/**
 * National-id patterns are regular expressions an admin writes, run over every body a guardrail
 * scans: only a subset that cannot backtrack badly is accepted — literals, `.`, `\d \w \s`
 * (and their negations), escaped punctuation, one-level character classes, and bounded
 * quantifiers `{n}`, `{n,m}` (m − n ≤ 4) and `?` — no `*`, `+`, groups, alternation, anchors,
 * back-references or lookarounds. Every match is then at most 64 characters long and the number
 * of ways to try one is small, so a scan stays linear in the text.
 */
const MAX_LENGTH = 64;
const MAX_CHOICES = 16;

/** Why a national-id pattern is refused, or null when it is safe to run. */
export function unsafePatternProblem(pattern: string): string | null {
  let i = 0;
  let minLen = 0;
  let maxLen = 0;
  let choices = 1;
  let atoms = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    let atomEnd: number;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) return 'ends with a lone backslash';
      if (/[1-9kbBpPu]/.test(e)) return `\\${e} is not allowed (back-references, word boundaries and property escapes are not)`;
      atomEnd = i + 2;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) return 'a character class is not closed';
      if (pattern.slice(i + 1, close).includes('[')) return 'nested character classes are not allowed';
      atomEnd = close + 1;
    } else if ('()|*+^$'.includes(c))
      return `${c} is not allowed: use bounded quantifiers ({n} or {n,m}) over single characters or classes, without groups or alternation`;
    else if (c === '{' || c === '?' || c === '}') return `${c} must follow a character or class`;
    else atomEnd = i + 1;
    atoms++;
    let lo = 1;
    let hi = 1;
    const q = pattern.slice(atomEnd);
    const counted = /^\{(\d{1,2})(?:,(\d{1,2}))?\}/.exec(q);
    if (counted) {
      lo = Number(counted[1]);
      hi = counted[2] === undefined ? lo : Number(counted[2]);
      if (hi < lo || hi - lo > 4) return `{${counted[1]},${counted[2]}} may vary by at most 4`;
      atomEnd += counted[0].length;
    } else if (q.startsWith('?')) {
      lo = 0;
      atomEnd += 1;
    }
    if (pattern[atomEnd] === '?' || pattern[atomEnd] === '{' || pattern[atomEnd] === '*' || pattern[atomEnd] === '+')
      return 'one quantifier per character or class';
    minLen += lo;
    maxLen += hi;
    choices *= hi - lo + 1;
    i = atomEnd;
  }
  if (atoms === 0) return 'is empty';
  if (minLen < 4) return 'must match at least 4 characters';
  if (maxLen > MAX_LENGTH) return `matches at most ${MAX_LENGTH} characters`;
  if (choices > MAX_CHOICES) return 'has too many optional parts (at most 16 ways to match)';
  try {
    new RegExp(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  return null;
}
