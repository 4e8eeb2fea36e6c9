/**
 * The views of a text the injection rules read: lower-case with Latin diacritics and look-alike
 * letters folded, and — appended, so each is read too — what leetspeak, spaced-out letters and
 * base64, hex and the other wrappings (wrapped-forms.ts) spell. Every step is one linear pass with bounded output.
 */

import { isUtf8 } from 'node:buffer';
import {
  ASCII85_BARE,
  ascii85Bytes,
  ascii85Runs,
  B32_RUN,
  BASE85_BARE,
  BASE85_NAMED,
  BINARY_RUN,
  base32Bytes,
  base85Bytes1924,
  binaryBytes,
  DECIMAL_RUN,
  decimalText,
  MORSE_RUN,
  morseText,
  NATO_GATE,
  NATO_RUN,
  natoText,
  quotedPrintableBytes,
  UU_LINES,
  uuBytes,
} from './wrapped-forms.js';

// Cyrillic and Greek letters that look like Latin ones: folded only inside a word that also has
// Latin letters (a Russian word stays Russian; `іgnоrе` with Cyrillic і, о, е reads as `ignore`).
const LOOKALIKE: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ɡ: 'g',
  ɩ: 'i',
  ʏ: 'y',
};
const LATIN = /[a-z]/;
const LOOKALIKE_CHARS = new RegExp(`[${Object.keys(LOOKALIKE).join('')}]`);
// The look-alikes by code (all below U+0800), read from a table as foldText walks a text (a Russian page holds one a word).
const LOOKALIKE_CODE = new Uint8Array(0x800);
for (const c of Object.keys(LOOKALIKE)) LOOKALIKE_CODE[c.charCodeAt(0)] = 1;
const WORD_CHAR = /[\p{L}\p{N}]/u;
// The class read from a table below U+0800 (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic: a Russian page's every word
// is walked a letter at a time), from the regex above it.
const WORD_BELOW = 0x800;
const WORD_TABLE = new Uint8Array(WORD_BELOW);
for (let c = 0; c < WORD_BELOW; c++) WORD_TABLE[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0;
function isWordChar(cp: number): boolean {
  return cp < WORD_BELOW ? WORD_TABLE[cp] === 1 : WORD_CHAR.test(String.fromCodePoint(cp));
}

/** Where the word (a run of letters and digits, as `[\p{L}\p{N}]+` reads it) holding the character at `at` starts and ends. */
function wordAround(text: string, at: number): [number, number] {
  let start = at;
  for (;;) {
    if (start === 0) break;
    const low = text.charCodeAt(start - 1);
    const high = text.charCodeAt(start - 2);
    const width = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
    if (!isWordChar(text.codePointAt(start - width)!)) break;
    start -= width;
  }
  let end = at;
  while (end < text.length) {
    const cp = text.codePointAt(end)!;
    if (!isWordChar(cp)) break;
    end += cp > 0xffff ? 2 : 1;
  }
  return [start, end];
}

// Latin letters with diacritics, folded to their base letter once and remembered.
const BASE = new Map<string, string>();
function baseLetter(c: string): string {
  let b = BASE.get(c);
  if (b === undefined) {
    b = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (c === 'ß') b = 'ss';
    // Letters NFD leaves whole: Vietnamese đ, Polish ł, Turkish dotless ı.
    else if (c === 'đ') b = 'd';
    else if (c === 'ł') b = 'l';
    else if (c === 'ı') b = 'i';
    if (BASE.size < 4_096) BASE.set(c, b);
  }
  return b;
}

// Small capitals (ᴀ ʙ ᴄ…) read as the letters they are drawn as; NFKC leaves them alone.
const SMALL_CAPS: Readonly<Record<string, string>> = {
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ɪ: 'i',
  ᴊ: 'j',
  ᴋ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴘ: 'p',
  ǫ: 'q',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
};
const SMALL_CAP = new RegExp(`[${Object.keys(SMALL_CAPS).join('')}]`, 'g');

// Braille cells of grade 1: the letters, a blank cell as a space, the capital sign dropped, full stop and comma.
const BRAILLE_LETTERS: Readonly<Record<string, string>> = {
  '⠁': 'a',
  '⠃': 'b',
  '⠉': 'c',
  '⠙': 'd',
  '⠑': 'e',
  '⠋': 'f',
  '⠛': 'g',
  '⠓': 'h',
  '⠊': 'i',
  '⠚': 'j',
  '⠅': 'k',
  '⠇': 'l',
  '⠍': 'm',
  '⠝': 'n',
  '⠕': 'o',
  '⠏': 'p',
  '⠟': 'q',
  '⠗': 'r',
  '⠎': 's',
  '⠞': 't',
  '⠥': 'u',
  '⠧': 'v',
  '⠺': 'w',
  '⠭': 'x',
  '⠽': 'y',
  '⠵': 'z',
  '\u2800': ' ',
  '\u2820': '',
  '\u2832': '.',
  '\u2802': ',',
};
const BRAILLE_ALL = /[\u2800-\u28ff]/g;

// The combining diacritical blocks (marks, extended, supplement, for symbols, half marks) and the Cyrillic titlo signs Zalgo text draws on; scripts' own vowel signs are elsewhere.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class is of combining marks, each matched alone to remove it.
const COMBINING = /[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/;
const COMBINING_ALL = new RegExp(COMBINING.source, 'g');

/** A word of a lexicon as the rules' view folds it: without combining marks (the Yoruba words carry tone marks). */
export function withoutMarks(word: string): string {
  return COMBINING.test(word) ? word.replace(COMBINING_ALL, '') : word;
}

// Negative circled (U+1F150–1F169) and negative squared (U+1F170–1F189) letters, regional indicators (U+1F1E6–1F1FF).
const EMOJI_LETTER = /\ud83c[\udd50-\udd69\udd70-\udd89\udde6-\uddff]/;
const EMOJI_LETTER_ALL = new RegExp(EMOJI_LETTER.source, 'g');
// Marks and Braille cells, as one character class (an alternation is searched several times slower).
// biome-ignore lint/suspicious/noMisleadingCharacterClass: combining marks, each matched alone (a test that any is there).
const DRAWN = /[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u2800-\u28ff]/;
function emojiLetter(pair: string): string {
  const low = pair.charCodeAt(1);
  return String.fromCharCode(97 + low - (low >= 0xdde6 ? 0xdde6 : low >= 0xdd70 ? 0xdd70 : 0xdd50));
}

/**
 * Lower-case, Latin diacritics and stacked marks removed (`überschreibe` → `uberschreibe`), letters drawn as emoji read,
 * look-alike letters of mixed-script words folded. `asTrained`: the learned tier's view, which keeps marks and emoji.
 */
export function foldText(text: string, asTrained = false): string {
  let lower = text.toLowerCase();
  if (/[\u1d00-\u1d2b\ua730-\ua7ff\u0262\u026a\u0274\u0280\u028f\u0299\u029c\u029f\u01eb]/.test(lower))
    lower = lower.replace(SMALL_CAP, (c) => SMALL_CAPS[c] ?? c);
  // Stacked marks and Braille, looked for in one pass (most texts hold none). The learned tier reads them as it was
  // trained (with the marks, the cells and the emoji below), until it is trained on this view.
  if (!asTrained && DRAWN.test(lower)) {
    // Combining marks left after NFKC (none composes with the letter before it): stacked on letters (`i̷g̷n̷o̷r̷e̷`, "Zalgo"
    // text) they hide a word from a search and not from a reader; a stress mark on a Russian word goes with them.
    lower = lower.replace(COMBINING_ALL, '');
    // Braille (grade 1: ⠊⠛⠝⠕⠗⠑): a model reads its letters.
    lower = lower.replace(BRAILLE_ALL, (c) => BRAILLE_LETTERS[c] ?? c);
  }
  // Letters drawn as emoji (🅘🅖🅝🅞🅡🅔, 🅸🅶🅽🅾🆁🅴, regional indicators 🇮🇬🇳🇴🇷🇪): NFKC leaves them, a reader spells them.
  if (!asTrained && lower.includes('\ud83c') && EMOJI_LETTER.test(lower)) lower = lower.replace(EMOJI_LETTER_ALL, emojiLetter);
  // Latin-1 to Latin Extended-B, and Latin Extended Additional (Vietnamese: `bỏ qua` → `bo qua`).
  if (/[\u00c0-\u024f\u1e00-\u1eff]/.test(lower)) lower = lower.replace(/[\u00c0-\u024f\u1e00-\u1eff]/g, baseLetter);
  if (!LOOKALIKE_CHARS.test(lower)) return lower;
  // Only the words that hold a look-alike are read again (a Russian page is made of them, an English one has a few).
  let out = '';
  let from = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 0x800 || LOOKALIKE_CODE[c] === 0) continue;
    const [start, end] = wordAround(lower, i);
    i = end - 1;
    const word = lower.slice(start, end);
    if (!LATIN.test(word)) continue;
    out += lower.slice(from, start);
    for (const ch of word) out += LOOKALIKE[ch] ?? ch;
    from = end;
  }
  return from === 0 ? lower : out + lower.slice(from);
}

// Currency and legal signs drawn like letters (`pr€vious`, `¢ommand`) are leet too.
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '€': 'e',
  '¢': 'c',
  '®': 'r',
  '©': 'c',
  '¥': 'y',
  '§': 's',
  ø: 'o',
};
const MAX_LEET_WORDS = 500;
const LEET_MIX = /[a-z][0-9@$!|€¢®©¥§ø]|[0-9@$!|€¢®©¥§ø][a-z]/g;

function isLeetToken(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 64 ||
    c === 36 ||
    c === 33 ||
    c === 124 ||
    c === 0x20ac ||
    c === 0xa2 ||
    c === 0xae ||
    c === 0xa9 ||
    c === 0xa5 ||
    c === 0xa7 ||
    c === 0xf8
  );
}

/**
 * deleet's view cut to what changed: each disguised word read as letters with the sentence around it (up to `context`
 * characters a side, cut at a line or sentence end), the pieces joined by newlines; null when there are none. The rules
 * read a sentence at a time, so they see in these pieces what they would see in the whole view — at the cost of the
 * pieces, not of another copy of the body (a README with version numbers and hashes had two more copies read in full).
 * `both`: whether a word with a `1` in it was read (only then does the view with `1` as `l` differ).
 */
export function deleetPieces(folded: string, one: 'i' | 'l' = 'i', context = 240): { text: string; ones: boolean } | null {
  const view = deleet(folded, one, context);
  return view === null ? null : { text: view, ones: LAST_ONES.value };
}
const LAST_ONES = { value: false };

/** Leetspeak read as letters (`1gn0r3 4ll` → `ignore all`; `1` as `one`: i, or l in a second view), for words that mix letters and leet characters; null when there are none. */
export function deleet(folded: string, one: 'i' | 'l' = 'i', context?: number): string | null {
  const out: string[] = [];
  let from = 0;
  // Where the last piece ended (pieces only): a word whose sentence overlaps it continues that piece.
  let pieceEnd = 0;
  let ones = false;
  LEET_MIX.lastIndex = 0;
  let words = 0;
  // Past a few thousand disguised words a text is noise (hashes, ids, base64), not a message.
  for (let m = LEET_MIX.exec(folded); m !== null && words < MAX_LEET_WORDS; m = LEET_MIX.exec(folded)) {
    if (m.index < from) continue;
    let s = m.index;
    let e = m.index + 2;
    while (s > from && isLeetToken(folded.charCodeAt(s - 1))) s--;
    while (e < folded.length && isLeetToken(folded.charCodeAt(e))) e++;
    LEET_MIX.lastIndex = e;
    const word = folded.slice(s, e);
    // Plain numbers with a unit (`10kg`, `3rd`) and long tokens (ids, hashes) are not words in disguise.
    if (word.length > 40 || /^[0-9]+[a-z]{1,3}$/.test(word)) continue;
    // For the rules' pieces, an address (`user@example.com`: a dot and a letter after the word) is no `a` in disguise: a
    // page of them was read again a line at a time. The learned tier's view reads it as it was trained to.
    if (context !== undefined && word.includes('@') && folded.charCodeAt(e) === 46 && isLetterCode(folded.charCodeAt(e + 1))) continue;
    // For the rules' pieces, names with a digit that stands for no letter (`utf8`, `sha256`, `es2015`, `arm64`, `x86`)
    // too: a disguised word is made of the digits LEET reads (`1gn0r3`, `ru135`). The learned tier's view keeps them.
    // (Counted among the words all the same: a body of thousands of them is noise, read no further.)
    words++;
    if (context !== undefined && /[2689]/.test(word)) continue;
    let read = '';
    // In the `i` view a doubled `1` or one before an `e` is an `l` (`a11`, `ru135`): both letters then read in one view.
    for (let k = 0; k < word.length; k++) {
      const ch = word[k]!;
      if (ch !== '1') read += LEET[ch] ?? ch;
      else if (one === 'l') read += 'l';
      else read += word[k + 1] === '1' || word[k - 1] === '1' || word[k + 1] === '3' || word[k + 1] === 'e' ? 'l' : 'i';
    }
    if (word.includes('1')) ones = true;
    if (context === undefined) out.push(folded.slice(from, s), read);
    else {
      // The sentence around the word: back to a line or sentence end (or `context` characters); a word inside the
      // current piece continues it, else the piece is closed at its sentence's end and a new one opened.
      if (out.length === 0 || s > pieceEnd) {
        if (out.length > 0) out.push(folded.slice(from, pieceEnd), '\n');
        const lo = sentenceStart(folded, s, Math.max(from, s - context));
        out.push(folded.slice(lo, s), read);
      } else out.push(folded.slice(from, s), read);
      pieceEnd = Math.max(pieceEnd, sentenceEnd(folded, e, Math.min(folded.length, e + context)));
    }
    from = e;
  }
  LAST_ONES.value = ones;
  // A text with thousands of them is noise (base64, hashes, ids): no message hides there in leetspeak.
  if (out.length === 0 || words >= MAX_LEET_WORDS) return null;
  out.push(context === undefined ? folded.slice(from) : folded.slice(from, Math.max(from, pieceEnd)));
  return out.join('');
}

function isLetterCode(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** Where the sentence holding `at` starts, looking back no further than `floor`. */
function sentenceStart(text: string, at: number, floor: number): number {
  for (let i = at - 1; i >= floor; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || ((c === 46 || c === 33 || c === 63) && text.charCodeAt(i + 1) === 32)) return i + 1;
  }
  return floor;
}

/** Where the sentence holding `at` ends, looking on no further than `ceil`. */
function sentenceEnd(text: string, at: number, ceil: number): number {
  for (let i = at; i < ceil; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || ((c === 46 || c === 33 || c === 63) && text.charCodeAt(i + 1) === 32)) return i + 1;
  }
  return ceil;
}

// Five or more single letters each followed by one separator: `i g n o r e`, `i.g.n.o.r.e`, `i-g-n-o-r-e`.
const SPACED = /(?<![\p{L}])(?:\p{L}[ .\-_*]){2,64}\p{L}(?![\p{L}])/uy;
// What every run holds right after its first letter: a separator, a letter, a separator. SPACED is tried only
// there (its lookbehind at every character of a body cost more than the rest of the pass).
const SPACED_SECOND = /[ .\-_*]\p{L}[ .\-_*]/gu;

/** The runs of SPACED in a text, in order, as a global search finds them, at most `max`. */
function spacedRuns(text: string, max: number): string[] {
  const runs: string[] = [];
  let end = 0;
  SPACED_SECOND.lastIndex = 0;
  for (let f = SPACED_SECOND.exec(text); f !== null && runs.length < max; f = SPACED_SECOND.exec(text)) {
    // The next candidate may overlap this one (`a b c`: ` b ` and ` c ` share a space).
    SPACED_SECOND.lastIndex = f.index + 1;
    // The run's first letter stands right before: one code unit, or two for a letter outside the BMP.
    const low = text.charCodeAt(f.index - 1);
    const start = f.index - (low >= 0xdc00 && low <= 0xdfff ? 2 : 1);
    if (start < end) continue;
    SPACED.lastIndex = start;
    const m = SPACED.exec(text);
    if (m === null) continue;
    runs.push(m[0]);
    end = start + m[0].length;
    SPACED_SECOND.lastIndex = end;
  }
  return runs;
}

/** Spaced-out words joined up (`i g n o r e  a l l` → `ignore all`); null when there are none. */
export function despace(folded: string): string | null {
  const runs: string[] = [];
  for (const run of spacedRuns(folded, 256)) {
    // Letters joined by dots or dashes, words by spaces (`f.o.r.g.e.t a.l.l`); letters joined by spaces are one word.
    runs.push(
      /[.\-_*]/.test(run)
        ? run
            .split(' ')
            .map((w) => w.replace(/[.\-_*]/g, ''))
            .join(' ')
        : run.replace(/ /g, ''),
    );
  }
  if (runs.length === 0) return null;
  // Words of a spaced sentence are separated by wider gaps, so consecutive runs are words in order.
  return runs.join(' ');
}

const B64_RUN = /[A-Za-z0-9+/_-]{20,4096}={0,2}/g;
const QP_ESCAPE = /=[0-9A-F]{2}/g;
const SOFT_BREAK = /=\r?\n/g;
const HEX_RUN = /(?:[0-9a-fA-F]{2}:?){12,4096}/g;
const MAX_DECODED = 65_536;

/** Whether decoded bytes read as text: valid UTF-8, mostly printable, with a space between words (unless `spaced` is false), at least `least` bytes. */
export function readable(bytes: Buffer, spaced = true, least = 12): string | null {
  if (bytes.length < least) return null;
  // Checked before decoding: most runs tried are random bytes, and a fatal decode's throw cost ~10 % of a scan of keys.
  if (!isUtf8(bytes)) return null;
  const text = UTF8.decode(bytes);
  let printable = 0;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10) space = true;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127 && !(c >= 0x80 && c < 0xa0))) printable++;
  }
  return (space || !spaced) && printable / text.length >= 0.95 ? text : null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
// How much wrapped text one body decodes at most, readable or not.
const MAX_TRIED = 65_536;

/**
 * What one body may still spend on unwrapping, shared by every window and text it is read in
 * (budgets per body, not per string): characters of tokens tried, and characters decoded.
 */
export interface UnwrapBudget {
  tried: number;
  decoded: number;
  /** Characters the learned tier may still read in this body (see injection/model.ts). */
  learned: number;
  /** Characters the class reading may still read in this body (see injection/directives.ts); unlimited when absent. */
  directives?: number;
  /**
   * Characters of this body still searched for the spelled wrappings (decimal codes, NATO words, UUencode, bare base-85),
   * words run together, upside-down text and the letter ciphers beside ROT13; unlimited when absent.
   */
  spelled?: number;
}

/**
 * What the learned tier reads of one body at most: its n-grams cost about ten times the rules' scan
 * a character, so past this the rules judge the rest alone (they read every body in full).
 */
const MAX_LEARNED_CHARS = 65_536;

/**
 * What the class reading (injection/directives.ts) reads of one body at most, over all its texts: past
 * this the phrase rules judge the rest alone, as past MAX_LEARNED_CHARS the learned tier leaves it to them.
 */
const MAX_DIRECTIVE_CHARS = 262_144;

/**
 * What the spelled wrappings and the run-together split search of one body at most: their searches cost ~3 ms a MiB
 * of prose (a tenth of the rules' whole scan, measured 28 Nov 2026), for forms a planted order is seldom long in.
 */
const MAX_SPELLED_CHARS = 131_072;

/** A fresh budget for one body. */
export function newUnwrapBudget(): UnwrapBudget {
  return { tried: MAX_TRIED, decoded: MAX_DECODED, learned: MAX_LEARNED_CHARS, directives: MAX_DIRECTIVE_CHARS, spelled: MAX_SPELLED_CHARS };
}

// The characters that end a token a wrapped payload could be (white space, quotes, brackets, separators), one flag each.
const BREAKS = new Uint8Array(128);
for (let c = 0; c <= 32; c++) BREAKS[c] = 1;
for (const c of '"\'(),;<>[]`{}') BREAKS[c.charCodeAt(0)] = 1;

/** Whether a character ends a token a wrapped payload could be (a table read: unwrap tests every character of a body). */
function isBreak(c: number): boolean {
  return c < 128 && BREAKS[c] === 1;
}

/** Keeps what decoded bytes spell when it reads as text (a decoder's text, such as Morse's letters, as it is), within the body's budget. */
function keep(decoded: Buffer | string | null, found: string[], budget: UnwrapBudget): void {
  const text = decoded === null || typeof decoded === 'string' ? decoded : readable(decoded);
  if (text !== null) {
    found.push(text);
    budget.decoded -= text.length;
  }
}

/** What runs of a wrapping searched in the whole text (not token by token) spell: tried within the body's budget. */
function unwrapRuns(raw: string, run: RegExp, decode: (m: string) => Buffer | string | null, found: string[], budget: UnwrapBudget): void {
  run.lastIndex = 0;
  for (let m = run.exec(raw); m !== null && budget.decoded > 0 && budget.tried > 0; m = run.exec(raw)) {
    budget.tried -= m[0].length;
    keep(decode(m[0]), found, budget);
  }
}

/** What decimal codes, NATO words, UUencoded lines and (in a text that names them) bare base-85 runs spell. */
function unwrapSpelled(raw: string, found: string[], budget: UnwrapBudget): void {
  // Every message spelt in decimal codes has a space (32) between its words.
  if (raw.includes(' 32 ') || raw.includes(',32,') || raw.includes(', 32,')) unwrapRuns(raw, DECIMAL_RUN, decimalText, found, budget);
  if (NATO_GATE.test(raw)) unwrapRuns(raw, NATO_RUN, natoText, found, budget);
  unwrapRuns(raw, UU_LINES, uuBytes, found, budget);
  if (raw.includes('85') && BASE85_NAMED.test(raw)) {
    // A run of either alphabet that is a word or base64 is left to the token search.
    const bare = (decode: (run: string) => Buffer | null) => (run: string) => (/[^A-Za-z0-9+/=]/.test(run) ? decode(run) : null);
    unwrapRuns(raw, ASCII85_BARE, bare(ascii85Bytes), found, budget);
    unwrapRuns(raw, BASE85_BARE, bare(base85Bytes1924), found, budget);
  }
}

/**
 * What wrapped runs in the raw text spell, where they spell readable text; null when none do: base64 and hex
 * runs, base32 and quoted-printable tokens, and the runs of injection/wrapped-forms.ts's other wrappings.
 */
export function unwrap(raw: string, budget: UnwrapBudget = newUnwrapBudget(), spelled = true): string | null {
  const found: string[] = [];
  ascii85Runs(raw, (run) => {
    budget.tried -= run.length;
    keep(ascii85Bytes(run), found, budget);
    return budget.decoded > 0 && budget.tried > 0;
  });
  if (raw.includes('00') || raw.includes('11')) unwrapRuns(raw, BINARY_RUN, binaryBytes, found, budget);
  if (raw.includes('.-') || raw.includes('-.')) unwrapRuns(raw, MORSE_RUN, morseText, found, budget);
  if (spelled) unwrapSpelled(raw, found, budget);
  // Quoted-printable breaks long lines with a soft break (`=` at the end of a line): joined, the run is one token.
  if (raw.includes('=\n') || raw.includes('=\r\n')) raw = raw.replace(SOFT_BREAK, '');
  // Only tokens of 20 characters or more can hold a run. `i` stands just past a break: a token starting there holds none
  // in its first 20 characters, so the 20th is read first and back, and a break among them is skipped past (most of a
  // page's characters are never read: 3.3 → 0.5 ms a MiB of prose, measured 28 Nov 2026).
  for (let i = 0; i + 20 <= raw.length && budget.decoded > 0 && budget.tried > 0; ) {
    let j = i + 19;
    while (j >= i && !isBreak(raw.charCodeAt(j))) j--;
    if (j >= i) {
      i = j + 1;
      continue;
    }
    const start = i;
    i += 20;
    while (i < raw.length && !isBreak(raw.charCodeAt(i))) i++;
    const token = raw.slice(start, Math.min(i, start + 16_384));
    budget.tried -= token.length;
    B64_RUN.lastIndex = 0;
    for (let m = B64_RUN.exec(token); m !== null && budget.decoded > 0; m = B64_RUN.exec(token)) {
      const run = m[0];
      // A word or identifier is not base64: a run needs both cases or digits to be worth decoding.
      if (!/[A-Z]/.test(run) || !/[a-z0-9]/.test(run)) continue;
      const text = readable(Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64'));
      if (text !== null) {
        found.push(text);
        budget.decoded -= text.length;
      }
    }
    // Base32 has no small letters: a token with one (base64, words) is not searched for it.
    if (!/[a-z]/.test(token)) {
      B32_RUN.lastIndex = 0;
      for (let m = B32_RUN.exec(token); m !== null && budget.decoded > 0; m = B32_RUN.exec(token)) keep(base32Bytes(m[0]), found, budget);
    }
    if (token.includes('=') && (token.match(QP_ESCAPE)?.length ?? 0) >= 3) keep(quotedPrintableBytes(token), found, budget);
    HEX_RUN.lastIndex = 0;
    for (let m = HEX_RUN.exec(token); m !== null && budget.decoded > 0; m = HEX_RUN.exec(token)) {
      // Digits alone (phone numbers, amounts) are not hex-encoded text: a run needs a letter a–f.
      if (!/[a-fA-F]/.test(m[0])) continue;
      const text = readable(Buffer.from(m[0].replace(/[:]/g, ''), 'hex'));
      if (text !== null) {
        found.push(text);
        budget.decoded -= text.length;
      }
    }
  }
  return found.length > 0 ? found.join('\n') : null;
}
