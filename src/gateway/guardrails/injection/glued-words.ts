/**
 * Run-together words ("ignoreallpreviousinstructions", or what the NATO alphabet spells without gaps) split back into
 * words, as a model reads them: the most probable split under a Zipf model of English word frequencies (the
 * approach of wordninja), over the words of english-ranks.ts.
 */
import { ENGLISH_BY_RANK } from './english-ranks.js';

const WORDS = ENGLISH_BY_RANK.split(' ');
/** A word's cost: its rank's log under Zipf's law; a letter no word covers costs more than any word. */
const COST = new Map(WORDS.map((w, i) => [w, Math.log((i + 1) * Math.log(WORDS.length))]));
const UNKNOWN_LETTER = 2 * Math.log(WORDS.length * Math.log(WORDS.length));
// Longer words are rare enough in an override that the split's cost (a lookup per letter and length) is not spent on them.
const LONGEST = Math.min(18, Math.max(...WORDS.map((w) => w.length)));

// The cue words a run-together override holds, found by a literal search; only where four letters follow or precede one
// (a word's own ending is shorter) is the run of letters around it measured.
const GLUED_CUE = /ignor|instruction|previous|disregard|prompt|password|forget|override|system|reveal/g;
/** Run-together letters worth splitting: twenty or more, at most this many (longer is no sentence a model is fed). */
const MIN_RUN = 20;
const MAX_RUN = 400;

const isLetter = (c: number) => c >= 97 && c <= 122;
/** Whether `n` letters a–z stand from `at` on. */
function lettersAt(text: string, at: number, n: number): boolean {
  if (at < 0 || at + n > text.length) return false;
  for (let i = at; i < at + n; i++) if (!isLetter(text.charCodeAt(i))) return false;
  return true;
}

/** `letters` split into its most probable words (letters no word covers kept one by one). */
export function splitGlued(letters: string): string {
  const n = letters.length;
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n + 1);
  best[0] = 0;
  for (let i = 1; i <= n; i++) {
    for (let k = 1; k <= Math.min(LONGEST, i); k++) {
      const cost = best[i - k]! + (COST.get(letters.slice(i - k, i)) ?? (k === 1 ? UNKNOWN_LETTER : Number.POSITIVE_INFINITY));
      if (cost < best[i]!) {
        best[i] = cost;
        from[i] = i - k;
      }
    }
  }
  const words: string[] = [];
  for (let i = n; i > 0; i = from[i]!) words.push(letters.slice(from[i]!, i));
  return words.reverse().join(' ');
}

/** The run-together stretches of a folded text that hold a cue word, split into words; null when there are none. */
export function gluedView(head: string, maxLetters = 4096): string | null {
  const out: string[] = [];
  let left = maxLetters;
  GLUED_CUE.lastIndex = 0;
  for (let m = GLUED_CUE.exec(head); m !== null && left > 0; m = GLUED_CUE.exec(head)) {
    let from = m.index;
    let to = m.index + m[0].length;
    if (!lettersAt(head, to, 4) && !lettersAt(head, from - 4, 4)) continue;
    while (from > 0 && to - from <= MAX_RUN && isLetter(head.charCodeAt(from - 1))) from--;
    while (to < head.length && to - from <= MAX_RUN && isLetter(head.charCodeAt(to))) to++;
    GLUED_CUE.lastIndex = to;
    if (to - from < MIN_RUN || to - from > MAX_RUN) continue;
    left -= to - from;
    out.push(splitGlued(head.slice(from, to)));
  }
  return out.length > 0 ? out.join('\n') : null;
}
