/**
 * The text a model reads, from the characters a body carries: every guardrail detector judges
 * this view, and redaction maps what it found back onto the original characters.
 */

/** A text as a model reads it, with the way back to the characters it came from. */
export interface NormalizedText {
  /** The normalized view every detector reads. */
  readonly text: string;
  /** False when the view is the original, character for character (then offsets are the same). */
  readonly changed: boolean;
  /** The original range a range of the view came from: [start, end) of `text` to [start, end) of the original. */
  toOriginal(start: number, end: number): [number, number];
}

/** Invisible format characters a model does not see (zero-width, bidi controls, soft hyphen, BOM); ZWJ (U+200D) stays, emoji sequences use it. */
export function isInvisible(c: number): boolean {
  return (
    c === 0x200b ||
    c === 0x200c ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x00ad ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

/** A view that is the original itself. */
function unchanged(text: string): NormalizedText {
  return { text, changed: false, toOriginal: (start, end) => [start, end] };
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  commat: '@',
  period: '.',
  colon: ':',
  sol: '/',
  num: '#',
  dollar: '$',
  percnt: '%',
  plus: '+',
  equals: '=',
  lowbar: '_',
  hyphen: '-',
  dash: '-',
  excl: '!',
  quest: '?',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  rsqb: ']',
  lbrack: '[',
  rbrack: ']',
  lcub: '{',
  rcub: '}',
  lbrace: '{',
  rbrace: '}',
  semi: ';',
  comma: ',',
  ast: '*',
  bsol: '\\',
  verbar: '|',
  grave: '`',
  tilde: '~',
  hat: '^',
};

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** An HTML character reference at `i` (`&#64;`, `&#x40;`, `&commat;`): what it stands for and where it ends, or null. */
function entityAt(s: string, i: number): [string, number] | null {
  if (s.charCodeAt(i + 1) === 35) {
    const hex = s.charCodeAt(i + 2) === 120 || s.charCodeAt(i + 2) === 88;
    let j = i + (hex ? 3 : 2);
    const from = j;
    while (j < s.length && j - from < 7 && (hex ? isHexDigit(s.charCodeAt(j)) : s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57)) j++;
    if (j === from) return null;
    const cp = Number.parseInt(s.slice(from, j), hex ? 16 : 10);
    if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    return [String.fromCodePoint(cp), s.charCodeAt(j) === 59 ? j + 1 : j];
  }
  let j = i + 1;
  while (j < s.length && j - i <= 8 && ((s.charCodeAt(j) >= 97 && s.charCodeAt(j) <= 122) || (s.charCodeAt(j) >= 65 && s.charCodeAt(j) <= 90))) j++;
  if (s.charCodeAt(j) !== 59) return null;
  const named = NAMED[s.slice(i + 1, j).toLowerCase()];
  return named === undefined ? null : [named, j + 1];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A run of percent-escapes at `i` (`%40`, `%E2%80%8B`) decoded as UTF-8: the text and where the run ends, or null. */
function percentAt(s: string, i: number): [string, number] | null {
  const bytes: number[] = [];
  let j = i;
  while (j + 2 < s.length + 0 && s.charCodeAt(j) === 37 && isHexDigit(s.charCodeAt(j + 1)) && isHexDigit(s.charCodeAt(j + 2)) && bytes.length < 4_096) {
    bytes.push(Number.parseInt(s.slice(j + 1, j + 3), 16));
    j += 3;
  }
  if (bytes.length === 0) return null;
  try {
    return [UTF8.decode(Uint8Array.from(bytes)), j];
  } catch {
    return null;
  }
}

// NFKC of single characters, remembered: a body repeats the same few non-ASCII characters.
const NFKC = new Map<number, string>();
function nfkc(cp: number, ch: string): string {
  let out = NFKC.get(cp);
  if (out === undefined) {
    out = ch.normalize('NFKC');
    if (NFKC.size < 8_192) NFKC.set(cp, out);
  }
  return out;
}

/** Unicode tag characters (U+E0000–E007F): invisible; the injection scan reads what they spell. */
function isTag(original: string, i: number): boolean {
  const d = original.charCodeAt(i + 1);
  return original.charCodeAt(i) === 0xdb40 && d >= 0xdc00 && d <= 0xdc7f;
}

/**
 * Walks a text as normalizeText reads it, calling `emit` with each piece of the view and the
 * original range it came from. One walk builds the view; a second, only when a finding must be
 * mapped back, builds the offsets.
 */
function walk(original: string, emit: (out: string, from: number, to: number) => void): void {
  for (let i = 0; i < original.length; ) {
    const c = original.charCodeAt(i);
    if (c < 0x7f && c !== 38 && c !== 37) {
      // A run of plain ASCII is one piece.
      let j = i + 1;
      while (j < original.length) {
        const d = original.charCodeAt(j);
        if (d >= 0x7f || d === 38 || d === 37) break;
        j++;
      }
      emit(original.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (c === 38 || c === 37) {
      const decoded = c === 38 ? entityAt(original, i) : percentAt(original, i);
      if (decoded !== null) {
        const [text, end] = decoded;
        // A decoded character is normalized like any other (`&#xFF20;` is a fullwidth @).
        let out = '';
        for (const ch of text) {
          const cp = ch.codePointAt(0)!;
          if (!isInvisible(cp)) out += cp < 0x80 ? ch : nfkc(cp, ch);
        }
        emit(out, i, end);
        i = end;
        continue;
      }
      emit(original[i]!, i, i + 1);
      i++;
      continue;
    }
    if (isTag(original, i)) {
      i += 2;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (!isInvisible(cp)) emit(nfkc(cp, original.slice(i, i + width)), i, i + width);
    i += width;
  }
}

/**
 * Normalizes a text for the detectors: HTML character references and percent-escapes decoded,
 * Unicode NFKC (per character, so offsets map back: fullwidth and mathematical letters read as
 * plain ones), invisible characters and tag characters removed. Linear in the text; printable
 * ASCII without `&` or `%` is returned as it is.
 */
export function normalizeText(original: string): NormalizedText {
  let plain = true;
  for (let i = 0; i < original.length; i++) {
    const c = original.charCodeAt(i);
    if (c > 0x7e || c === 38 || c === 37) {
      plain = false;
      break;
    }
  }
  if (plain) return unchanged(original);
  const parts: string[] = [];
  walk(original, (out) => parts.push(out));
  const text = parts.join('');
  if (text === original) return unchanged(original);
  let starts: Int32Array | null = null;
  let ends: Int32Array | null = null;
  const offsets = () => {
    if (starts !== null) return;
    // starts[k], ends[k]: the original range of the view's k-th UTF-16 unit.
    starts = new Int32Array(text.length);
    ends = new Int32Array(text.length);
    let k = 0;
    walk(original, (out, from, to) => {
      // A piece copied as it is maps character for character; a decoded or folded one, whole.
      const same = out.length === to - from;
      for (let n = 0; n < out.length; n++, k++) {
        starts![k] = same ? from + n : from;
        ends![k] = same ? from + n + 1 : to;
      }
    });
  };
  return {
    text,
    changed: true,
    toOriginal(start, end) {
      if (text.length === 0) return [0, original.length];
      offsets();
      const s = starts![Math.min(start, text.length - 1)]!;
      const e = end <= 0 ? s : ends![Math.min(end, text.length) - 1]!;
      return [s, Math.max(s, e)];
    },
  };
}

const INVISIBLE = /[\u200b\u200c\u200e\u200f\u00ad\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu;
const ENTITY = /&(?:#[xX][0-9a-fA-F]{1,6};?|#[0-9]{1,7};?|[a-zA-Z]{2,8};)/g;
const PERCENT = /(?:%[0-9a-fA-F]{2}){1,4096}/g;

/** The same view as normalizeText, without the way back: for detectors that judge and never redact (cheaper on long texts). */
export function normalizedView(original: string): string {
  let text = original;
  if (text.includes('&')) text = text.replace(ENTITY, (e, i: number, s: string) => entityAt(s, i)?.[0] ?? e);
  if (text.includes('%')) text = text.replace(PERCENT, (run) => percentAt(run, 0)?.[0] ?? run);
  if (/[^\t\n\r -~]/.test(text)) text = text.normalize('NFKC').replace(INVISIBLE, '');
  return text;
}
