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

/** Invisible format characters a model does not see (zero-width, bidi controls, soft hyphen, BOM); ZWJ (U+200D) stays, emoji sequences use it (the views drop it between Latin letters: see joinsLatin). */
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

/** The named references read: a Map, so a name of Object's prototype (`&valueOf;`, `&toString;`) is no entity. */
const NAMED: ReadonlyMap<string, string> = new Map(
  Object.entries({
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
  }),
);

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The references a page is full of (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&nbsp;`, `&apos;`), read in place: no name cut out and looked up. */
function commonNamed(s: string, from: number, to: number): string | undefined {
  switch (to - from) {
    case 2:
      if (s.charCodeAt(from + 1) !== 116) return undefined;
      return s.charCodeAt(from) === 108 ? '<' : s.charCodeAt(from) === 103 ? '>' : undefined;
    case 3:
      return s.startsWith('amp', from) ? '&' : undefined;
    case 4:
      return s.startsWith('quot', from) ? '"' : s.startsWith('nbsp', from) ? ' ' : s.startsWith('apos', from) ? "'" : undefined;
    default:
      return undefined;
  }
}

/** An HTML character reference at `i` (`&#64;`, `&#x40;`, `&commat;`): its code point (or, named, its text) and where it ends, or null. */
function entityAt(s: string, i: number): [number | string, number] | null {
  if (s.charCodeAt(i + 1) === 35) {
    const hex = s.charCodeAt(i + 2) === 120 || s.charCodeAt(i + 2) === 88;
    let j = i + (hex ? 3 : 2);
    const from = j;
    // The code point is read as it is scanned: no slice, no parseInt (a page of entities has thousands).
    let cp = 0;
    for (; j < s.length && j - from < 7; j++) {
      const c = s.charCodeAt(j);
      if (c >= 48 && c <= 57) cp = cp * (hex ? 16 : 10) + (c - 48);
      else if (hex && ((c >= 65 && c <= 70) || (c >= 97 && c <= 102))) cp = cp * 16 + ((c | 32) - 87);
      else break;
    }
    if (j === from) return null;
    if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    return [cp, s.charCodeAt(j) === 59 ? j + 1 : j];
  }
  let j = i + 1;
  while (j < s.length && j - i <= 8 && ((s.charCodeAt(j) >= 97 && s.charCodeAt(j) <= 122) || (s.charCodeAt(j) >= 65 && s.charCodeAt(j) <= 90))) j++;
  if (s.charCodeAt(j) !== 59 || j === i + 1) return null;
  const common = commonNamed(s, i + 1, j);
  if (common !== undefined) return [common, j + 1];
  const name = s.slice(i + 1, j);
  const named = NAMED.get(name) ?? NAMED.get(name.toLowerCase());
  return named === undefined ? null : [named, j + 1];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** A run of percent-escapes at `i` (`%40`, `%E2%80%8B`) decoded as UTF-8: the text (or, one ASCII byte, its code) and where the run ends, or null. */
function percentAt(s: string, i: number): [number | string, number] | null {
  let j = i;
  while (j + 2 < s.length && s.charCodeAt(j) === 37 && isHexDigit(s.charCodeAt(j + 1)) && isHexDigit(s.charCodeAt(j + 2)) && j - i < 3 * 4_096) j += 3;
  if (j === i) return null;
  const first = hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2));
  // One ASCII byte (`%40`, `%2E`): the common case, without a decoder.
  if (j === i + 3 && first < 0x80) return [first, j];
  const bytes = new Uint8Array((j - i) / 3);
  for (let k = 0; k < bytes.length; k++) bytes[k] = hexValue(s.charCodeAt(i + 3 * k + 1)) * 16 + hexValue(s.charCodeAt(i + 3 * k + 2));
  try {
    return [UTF8.decode(bytes), j];
  } catch {
    return null;
  }
}

/**
 * A backslash escape at `i` as code and JSON write a character (`\u0040`, `\u{1F600}`, `\x40`, a surrogate pair
 * `\uD83D\uDE00`, `\n`): its code point and where it ends, or null. A model reads `ada\u0040example.com` as the address.
 */
function escapeAt(s: string, i: number): [number, number] | null {
  const kind = s.charCodeAt(i + 1);
  // `\n`, `\r`, `\t` of an escaped text in a log line: a break before what follows (`\n4111…` is a card on a new line).
  if (kind === 110) return [10, i + 2];
  if (kind === 114) return [13, i + 2];
  if (kind === 116) return [9, i + 2];
  if (kind === 120) return hexRun(s, i + 2, 2, 2);
  if (kind !== 117) return null;
  if (s.charCodeAt(i + 2) === 123) {
    const run = hexRun(s, i + 3, 1, 6);
    return run !== null && s.charCodeAt(run[1]) === 125 && run[0] <= 0x10ffff ? [run[0], run[1] + 1] : null;
  }
  const unit = hexRun(s, i + 2, 4, 4);
  if (unit === null) return null;
  if (unit[0] >= 0xd800 && unit[0] <= 0xdbff && s.charCodeAt(unit[1]) === 92 && s.charCodeAt(unit[1] + 1) === 117) {
    const low = hexRun(s, unit[1] + 2, 4, 4);
    if (low !== null && low[0] >= 0xdc00 && low[0] <= 0xdfff) return [0x10000 + ((unit[0] - 0xd800) << 10) + (low[0] - 0xdc00), low[1]];
  }
  return unit[0] >= 0xd800 && unit[0] <= 0xdfff ? null : unit;
}

/** The value of `least` to `most` hex digits at `i`, and where they end; null when fewer than `least`. */
function hexRun(s: string, i: number, least: number, most: number): [number, number] | null {
  let v = 0;
  let j = i;
  for (; j < s.length && j - i < most && isHexDigit(s.charCodeAt(j)); j++) v = v * 16 + hexValue(s.charCodeAt(j));
  return j - i >= least ? [v, j] : null;
}

// NFKC of single characters, remembered: a body repeats the same few non-ASCII characters.
const NFKC = new Map<number, string>();
function nfkc(cp: number): string {
  let out = NFKC.get(cp);
  if (out === undefined) {
    out = String.fromCodePoint(cp).normalize('NFKC');
    if (NFKC.size < 8_192) NFKC.set(cp, out);
  }
  return out;
}

/**
 * Variation selectors (U+FE00–FE0F, U+E0100–E01EF): they change how the character before them is drawn, and a run of
 * them between letters (`i︀g︀n︀o︀r︀e`) hides a word from a search while a model reads it whole. The view drops them;
 * the learned tier's count of invisible characters (isInvisible) does not count them, as it was trained.
 */
function isSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Unicode tag characters (U+E0000–E007F): invisible; the injection scan reads what they spell. */
function isTag(original: string, i: number): boolean {
  const d = original.charCodeAt(i + 1);
  return original.charCodeAt(i) === 0xdb40 && d >= 0xdc00 && d <= 0xdc7f;
}

/**
 * The view being built: its UTF-16 units, and for each the original range it came from. Shared
 * scratch (normalizeText is synchronous, never interleaved), grown as needed: a body of 60,000
 * short strings would otherwise allocate three arrays per string. What a call keeps is copied out.
 */
let units = new Uint16Array(1_024);
let starts = new Int32Array(1_024);
let ends = new Int32Array(1_024);
let size = 0;

function reserve(more: number): void {
  if (size + more <= units.length) return;
  const capacity = Math.max(units.length * 2, size + more);
  const u = new Uint16Array(capacity);
  u.set(units.subarray(0, size));
  const s = new Int32Array(capacity);
  s.set(starts.subarray(0, size));
  const e = new Int32Array(capacity);
  e.set(ends.subarray(0, size));
  units = u;
  starts = s;
  ends = e;
}

/** ASCII letters and digits, as a view reads them. */
function isAsciiWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Whether a ZWJ between these two (the view's character before it, the original's code point after
 * it) joins nothing a reader sees: between Latin letters or digits it only splits a word (an address
 * `a\u200Dda@…`, a keyword) for a matcher; in emoji and the scripts that shape with it, it stays.
 */
function joinsLatin(before: number, after: number): boolean {
  return isAsciiWordChar(before) && isAsciiWordChar(after < 0x80 ? after : nfkc(after).charCodeAt(0));
}

/** Appends what a code point reads as (NFKC; nothing for an invisible one), from original[from, to); whether that differs from the original. */
function putCodePoint(cp: number, from: number, to: number): boolean {
  if (cp < 0x80) {
    reserve(1);
    units[size] = cp;
    starts[size] = from;
    ends[size++] = to;
    return to - from !== 1;
  }
  if (isInvisible(cp) || isSelector(cp)) return true;
  const out = nfkc(cp);
  reserve(out.length);
  for (let n = 0; n < out.length; n++, size++) {
    units[size] = out.charCodeAt(n);
    starts[size] = from;
    ends[size] = to;
  }
  return out.length !== to - from || out.codePointAt(0) !== cp;
}

/** Appends a decoded piece (an entity's or a percent run's text) character by character; always a change. */
function putDecoded(decoded: number | string, from: number, to: number): void {
  if (typeof decoded === 'number') {
    putCodePoint(decoded, from, to);
    return;
  }
  for (const ch of decoded) putCodePoint(ch.codePointAt(0)!, from, to);
}

/** The view built so far as a string. */
function viewText(): string {
  if (size <= 4_096) return String.fromCharCode.apply(null, units.subarray(0, size) as unknown as number[]);
  return Buffer.from(units.buffer, units.byteOffset, size * 2).toString('utf16le');
}

/**
 * Normalizes a text for the detectors: HTML character references, percent-escapes and backslash
 * escapes (`\u0040`, `\x40`) decoded,
 * Unicode NFKC (per character, so offsets map back: fullwidth and mathematical letters read as
 * plain ones), invisible characters and tag characters removed. One linear pass, each unit of the
 * view written with the original range it came from; printable ASCII without `&`, `%` or `\` is
 * returned as it is, without a copy.
 */
export function normalizeText(original: string): NormalizedText {
  const n = original.length;
  let i = 0;
  for (; i < n; i++) {
    const c = original.charCodeAt(i);
    if (c > 0x7e || c === 38 || c === 37 || c === 92) break;
  }
  if (i === n) return unchanged(original);
  size = 0;
  let changed = false;
  // The plain head is the original's, unit for unit.
  reserve(i);
  for (let k = 0; k < i; k++) {
    units[k] = original.charCodeAt(k);
    starts[k] = k;
    ends[k] = k + 1;
  }
  size = i;
  while (i < n) {
    const c = original.charCodeAt(i);
    if (c === 92) {
      const escaped = escapeAt(original, i);
      if (escaped !== null) {
        putCodePoint(escaped[0], i, escaped[1]);
        changed = true;
        i = escaped[1];
        continue;
      }
    }
    if (c < 0x7f && c !== 38 && c !== 37) {
      reserve(1);
      units[size] = c;
      starts[size] = i;
      ends[size++] = ++i;
      continue;
    }
    if (c === 38 || c === 37) {
      const decoded = c === 38 ? entityAt(original, i) : percentAt(original, i);
      if (decoded !== null) {
        // A decoded character is normalized like any other (`&#xFF20;` is a fullwidth @).
        putDecoded(decoded[0], i, decoded[1]);
        changed = true;
        i = decoded[1];
        continue;
      }
      reserve(1);
      units[size] = c;
      starts[size] = i;
      ends[size++] = ++i;
      continue;
    }
    if (c === 0x200d && joinsLatin(size > 0 ? units[size - 1]! : 0, original.codePointAt(i + 1) ?? 0)) {
      changed = true;
      i++;
      continue;
    }
    if (isTag(original, i)) {
      changed = true;
      i += 2;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (putCodePoint(cp, i, i + width)) changed = true;
    i += width;
  }
  if (!changed) return unchanged(original);
  const text = viewText();
  const from = starts.slice(0, size);
  const to = ends.slice(0, size);
  // Scratch grown for one very long text is let go (the scanner reads texts in windows of ~36 Ki characters).
  if (units.length > 1 << 18) {
    units = new Uint16Array(1_024);
    starts = new Int32Array(1_024);
    ends = new Int32Array(1_024);
  }
  return {
    text,
    changed: true,
    toOriginal(start, end) {
      if (text.length === 0) return [0, original.length];
      const s = from[Math.min(start, text.length - 1)]!;
      const e = end <= 0 ? s : to[Math.min(end, text.length) - 1]!;
      return [s, Math.max(s, e)];
    },
  };
}

// biome-ignore lint/suspicious/noMisleadingCharacterClass: variation selectors are in the class to be removed one by one.
const INVISIBLE = /[\u200b\u200c\u200e\u200f\u00ad\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufe00-\ufe0f]|[\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;
const PERCENT = /(?:%[0-9a-fA-F]{2}){1,4096}/g;
/** A ZWJ between Latin letters or digits (see joinsLatin). */
const LATIN_JOINER = /(?<=[A-Za-z0-9])\u200d(?=[A-Za-z0-9])/g;

/** What a decoded entity or percent run reads as, as text. */
function decodedText(decoded: [number | string, number] | null): string | undefined {
  if (decoded === null) return undefined;
  return typeof decoded[0] === 'number' ? String.fromCodePoint(decoded[0]) : decoded[0];
}

/** The text with its HTML character references decoded, as normalizeText reads them: one pass from `&` to `&` (a page of entities has thousands). */
function withEntitiesDecoded(s: string): string {
  let out = '';
  let last = 0;
  for (let i = s.indexOf('&'); i !== -1; ) {
    const found = entityAt(s, i);
    const decoded = decodedText(found);
    if (found === null || decoded === undefined) {
      i = s.indexOf('&', i + 1);
      continue;
    }
    out += s.slice(last, i) + decoded;
    last = found[1];
    i = s.indexOf('&', last);
  }
  return last === 0 ? s : out + s.slice(last);
}

/** The same view as normalizeText, without the way back: for detectors that judge and never redact (cheaper on long texts). */
export function normalizedView(original: string): string {
  let text = original;
  if (text.includes('&')) text = withEntitiesDecoded(text);
  if (text.includes('%')) text = text.replace(PERCENT, (run) => decodedText(percentAt(run, 0)) ?? run);
  if (/[^\t\n\r -~]/.test(text)) text = text.normalize('NFKC').replace(INVISIBLE, '').replace(LATIN_JOINER, '');
  return text;
}
