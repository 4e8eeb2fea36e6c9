/**
 * Text written so a filter does not read it but a model does when asked: backwards, upside down, or in a letter
 * cipher (ROT13, any Caesar shift, Atbash — CipherChat's and garak's). Each view is made only of the lines where one
 * of an override's cue words shows in that form, so a page with one such line costs one line's reading.
 */

/** The lines of a text that match `cue`, joined by newlines. Lines are bounded by the text's own length: one pass. */
export function linesWith(text: string, cue: RegExp): string {
  const out: string[] = [];
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const line = text.slice(from, to);
    if (cue.test(line)) out.push(line);
    from = to + 1;
  }
  return out.join('\n');
}

const CUE_WORDS = ['ignore', 'instruction', 'previous', 'disregard', 'forget', 'prompt', 'password', 'reveal', 'override', 'system', 'rules'];

/** A cipher on the letters a–z, as a table from each letter's index to its image. */
type LetterMap = readonly number[];

const shiftBy = (k: number): LetterMap => Array.from({ length: 26 }, (_, i) => (i + k) % 26);
const ATBASH: LetterMap = Array.from({ length: 26 }, (_, i) => 25 - i);

function apply(map: LetterMap, s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 97 && c <= 122 ? String.fromCharCode(97 + map[c - 97]!) : s[i];
  }
  return out;
}

/** Every cipher read: its encoding (to find cue words written in it) and its decoding. */
const CIPHERS = [...Array.from({ length: 25 }, (_, j) => ({ encode: shiftBy(j + 1), decode: shiftBy(25 - j) })), { encode: ATBASH, decode: ATBASH }];
/** ROT13 is looked for by every cue word; the other ciphers by the three longest, which cost a third as much to search for. */
const ROT13 = 12;
const LONG_CUES = ['instruction', 'previous', 'password'];
/** Each cue word as each cipher writes it, to the ciphers that write it so. */
const CIPHER_OF = new Map<string, number[]>();
CIPHERS.forEach((c, i) => {
  for (const w of i === ROT13 ? CUE_WORDS : LONG_CUES) {
    const form = apply(c.encode, w);
    CIPHER_OF.set(form, [...(CIPHER_OF.get(form) ?? []), i]);
  }
});
const CIPHER_CUE = new RegExp(`(?<![a-z])(?:${[...CIPHER_OF.keys()].join('|')})`);
const CIPHER_CUES = new RegExp(CIPHER_CUE.source, 'g');
// ROT13's forms alone: what a body past its budget for the other ciphers is searched for.
const ROT13_CUE = new RegExp(`(?<![a-z])(?:${CUE_WORDS.map((w) => apply(CIPHERS[ROT13]!.encode, w)).join('|')})`);
/** A line may be in at most this many ciphers' forms at once; past it the line is noise, not a message. */
const MAX_CIPHERS = 3;

/** Reversed text read forward: the cue words spelt backwards. */
const REVERSED_CUE = new RegExp(
  CUE_WORDS.slice(0, 9)
    .map((w) => [...w].reverse().join(''))
    .join('|'),
);

// Upside-down text: turned letters (the view has folded `ı`), read back to front, `n`/`u`, `p`/`d`, `b`/`q` swapping.
const TURNED: Readonly<Record<string, string>> = {
  ɐ: 'a',
  ɔ: 'c',
  ǝ: 'e',
  ɟ: 'f',
  ƃ: 'g',
  ɥ: 'h',
  ɾ: 'j',
  ʞ: 'k',
  ɯ: 'm',
  ɹ: 'r',
  ʇ: 't',
  ʌ: 'v',
  ʍ: 'w',
  ʎ: 'y',
  n: 'u',
  u: 'n',
  p: 'd',
  d: 'p',
  b: 'q',
  q: 'b',
  '˙': '.',
  '¿': '?',
  '¡': '!',
};
const TURNED_LETTER = /[ɐɔǝɟƃɥɾʞɯɹʇʌʍʎ]/;
const TURNED_LETTERS = /[ɐɔǝɟƃɥɾʞɯɹʇʌʍʎ]/g;

/** Whether `pattern` (global) matches `text` at least `n` times: the search stops at the `n`th. */
export function atLeast(text: string, pattern: RegExp, n: number): boolean {
  pattern.lastIndex = 0;
  let found = 0;
  while (found < n && pattern.exec(text) !== null) found++;
  return found >= n;
}

/**
 * The head of a folded text read as each disguise it shows a cue of; empty when it shows none. `every`: all the
 * ciphers and upside-down text (else ROT13 and reversed text alone, for a body past its budget for disguises seldom
 * long, as the spelled wrappings are).
 */
export function cipheredViews(head: string, every = true): string[] {
  const views: string[] = [];
  if (REVERSED_CUE.test(head)) views.push([...linesWith(head, REVERSED_CUE)].reverse().join(''));
  const cue = every ? CIPHER_CUE : ROT13_CUE;
  if (cue.test(head)) {
    const lines = linesWith(head, cue);
    const used = new Set<number>();
    for (const m of lines.matchAll(CIPHER_CUES)) for (const i of CIPHER_OF.get(m[0]) ?? []) used.add(i);
    if (used.size <= MAX_CIPHERS) for (const i of used) views.push(apply(CIPHERS[i]!.decode, lines));
  }
  // Four turned letters before a line is read upside down: one is a phonetic transcription's.
  if (every && TURNED_LETTER.test(head) && atLeast(head, TURNED_LETTERS, 4)) {
    const lines = linesWith(head, TURNED_LETTER);
    let out = '';
    for (let i = lines.length - 1; i >= 0; i--) out += TURNED[lines[i]!] ?? lines[i];
    views.push(out);
  }
  return views;
}
