/**
 * The wrappings beside base64 and hex that attack collections use to slip an order past a filter and that a
 * model unwraps when asked (garak's encoding probes among them): base32, Ascii85 and Base85, UUencode, quoted-printable,
 * bytes written in binary or as decimal codes, Morse code and the NATO alphabet. Each decoder returns the bytes or text a candidate spells, or null; the caller
 * (fold.ts's unwrap) keeps only what reads as text, within the body's budget.
 */

const B32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) B32_VALUE[B32_ALPHABET.charCodeAt(i)] = i;

/** Base32 (RFC 4648) in a token: capitals and digits 2–7, at least 16 of them, optional `=` padding. */
export const B32_RUN = /[A-Z2-7]{16,4096}={0,6}/g;

/** The bytes a base32 run spells; null when it holds a character outside the alphabet. */
export function base32Bytes(run: string): Buffer | null {
  const body = run.replace(/=+$/, '');
  const out = Buffer.allocUnsafe(Math.floor((body.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const v = B32_VALUE[body.charCodeAt(i)] ?? -1;
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

/** Ascii85 runs in Adobe's wrapping (`<~ … ~>`, line breaks allowed), found with a native search; `visit` gets what is inside. */
export function ascii85Runs(text: string, visit: (run: string) => boolean): void {
  for (let i = text.indexOf('<~'); i >= 0; i = text.indexOf('<~', i)) {
    const end = text.indexOf('~>', i + 2);
    if (end < 0) return;
    if (end - i >= 12 && end - i <= 8192 && !visit(text.slice(i + 2, end))) return;
    i = end + 2;
  }
}

/**
 * A text that names a base-85 wrapping (Ascii85, Base85, Z85). Bare base-85 runs are searched only in such a text:
 * telling them from paths and code takes a search over every character (25 ms a MiB of the docs measured on 28 Nov
 * 2026, half the CPU target), and a wrapping seldom seen outside test sets is seldom left unnamed by who asks a model to read it.
 */
// The digits found first (a literal search), the name before them checked after.
export const BASE85_NAMED = /85(?<=(?<![a-z0-9])(?:ascii|base|[abz])[ -]?85)(?![0-9])/i;

/** A bare Ascii85 run (Python's a85encode): 20 or more characters from `!` to `u`. */
export const ASCII85_BARE = /[!-u]{20,8192}/g;
/** A bare Base85 run (RFC 1924's alphabet, Python's b85encode and git's). */
export const BASE85_BARE = /[0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]{20,8192}/g;

const ASCII85_VALUE = new Int8Array(128).fill(-1);
for (let c = 33; c <= 117; c++) ASCII85_VALUE[c] = c - 33;
const RFC1924 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
const BASE85_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 85; i++) BASE85_VALUE[RFC1924.charCodeAt(i)] = i;

/** The bytes a run of a base-85 alphabet spells (white space skipped; Ascii85's `z` for four zero bytes); null when malformed. */
function base85Bytes(run: string, value: Int8Array, zeros: boolean): Buffer | null {
  const out: number[] = [];
  let group = 0;
  let count = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (zeros && c === 122 /* z */) {
      if (count !== 0) return null;
      out.push(0, 0, 0, 0);
      continue;
    }
    const v = c < 128 ? value[c]! : -1;
    if (v < 0) return null;
    group = group * 85 + v;
    if (++count === 5) {
      if (group > 0xffffffff) return null;
      out.push((group >>> 24) & 0xff, (group >>> 16) & 0xff, (group >>> 8) & 0xff, group & 0xff);
      group = 0;
      count = 0;
    }
  }
  if (count === 1) return null;
  if (count > 0) {
    // A partial group is padded with the alphabet's last letter (84) and as many bytes dropped as characters were missing.
    for (let k = count; k < 5; k++) group = group * 85 + 84;
    if (group > 0xffffffff) return null;
    const bytes = [(group >>> 24) & 0xff, (group >>> 16) & 0xff, (group >>> 8) & 0xff, group & 0xff];
    out.push(...bytes.slice(0, count - 1));
  }
  return Buffer.from(out);
}

/** The bytes an Ascii85 run spells (without Adobe's `<~ ~>`); null when it is malformed. */
export function ascii85Bytes(run: string): Buffer | null {
  return base85Bytes(run, ASCII85_VALUE, true);
}

/** The bytes a Base85 run (RFC 1924's alphabet) spells; null when it is malformed. */
export function base85Bytes1924(run: string): Buffer | null {
  return base85Bytes(run, BASE85_VALUE, false);
}

/**
 * UUencoded lines (as `uuencode` and Python's b2a_uu write them, with or without the `begin` line; the first may follow a
 * label's colon): a length character then four characters for each three bytes, every character from space to backtick.
 */
export const UU_LINES = /(?:^|\n|: ?)(?:[!-M][ -`]{4,60}(?:\r?\n|$)){1,2048}/g;

/** The bytes UUencoded lines spell; null when a line's length does not match what it says it holds. */
export function uuBytes(lines: string): Buffer | null {
  const out: number[] = [];
  for (const line of lines.replace(/^: ?/, '').split(/\r?\n/)) {
    if (line === '') continue;
    const n = line.charCodeAt(0) - 32;
    const body = line.slice(1);
    // Some writers drop the spaces a line ends with: a line holds at least the characters its bytes need, at most a group more.
    const need = Math.ceil((n * 4) / 3);
    if (body.length < need || body.length > 4 * Math.ceil(n / 3)) return null;
    const padded = body.padEnd(4 * Math.ceil(n / 3), ' ');
    const bytes: number[] = [];
    for (let i = 0; i + 3 < padded.length; i += 4) {
      const [a, b, c, d] = [0, 1, 2, 3].map((k) => (padded.charCodeAt(i + k) - 32) & 63) as [number, number, number, number];
      bytes.push((a << 2) | (b >> 4), ((b << 4) | (c >> 2)) & 0xff, ((c << 6) | d) & 0xff);
    }
    out.push(...bytes.slice(0, n));
  }
  return out.length > 0 ? Buffer.from(out) : null;
}

/** Characters written as their decimal codes, twelve or more, apart by spaces or commas (`73 103 110 …`). */
export const DECIMAL_RUN = /(?<![\d.])(?:\d{2,3}(?:, ?| )){11,8192}\d{2,3}(?![\d.])/g;

/** The text decimal codes spell; null when one is not a printable ASCII character or white space. */
export function decimalText(run: string): string | null {
  let out = '';
  for (const n of run.split(/, ?| /)) {
    const c = Number(n);
    if (!(c === 9 || c === 10 || c === 13 || (c >= 32 && c <= 126))) return null;
    out += String.fromCharCode(c);
  }
  return out;
}

const NATO_WORDS =
  'alfa|alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett?|kilo|lima|mike|november|oscar|papa|quebec|romeo|sierra|tango|uniform|victor|whiske?y|x-?ray|yankee|zulu';
/** Letters spelt in the NATO alphabet, eight words or more (a text is searched only when one of its commonest letters' words shows). */
export const NATO_RUN = new RegExp(`(?<![a-z])(?:${NATO_WORDS})(?:(?: ?[/|] ?| {1,3}|, ?)(?:${NATO_WORDS})){7,8192}(?![a-z])`, 'gi');
/** Words at least one of which a spelt message of a few words holds (the letters s, t, r, o, n). */
export const NATO_GATE = /sierra|tango|romeo|oscar|november/i;

/** The text NATO words spell: a slash, a bar or a wider gap between words of the message. */
export function natoText(run: string): string {
  let out = '';
  for (const m of run.matchAll(/([a-z-]+)([^a-z-]*)/gi)) {
    out += m[1]![0]!.toLowerCase();
    if (/[/|]| {2}/.test(m[2]!)) out += ' ';
  }
  return out;
}

/** The bytes a quoted-printable token spells (three or more `=XX` escapes in it; soft line breaks already joined). */
export function quotedPrintableBytes(run: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c === 61 /* = */) {
      if (run[i + 1] === '\n') {
        i += 1;
        continue;
      }
      if (run[i + 1] === '\r' && run[i + 2] === '\n') {
        i += 2;
        continue;
      }
      out.push(Number.parseInt(run.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c);
  }
  return Buffer.from(out);
}

/** Bytes written as groups of eight binary digits, eight groups or more, separated by a space or nothing. */
export const BINARY_RUN = /(?<![01])(?:[01]{8}[ ]?){8,8192}(?![01])/g;

/** The bytes a binary run spells. */
export function binaryBytes(run: string): Buffer {
  const digits = run.replace(/ /g, '');
  const out = Buffer.allocUnsafe(digits.length >> 3);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(i * 8, i * 8 + 8), 2);
  return out;
}

const MORSE: Readonly<Record<string, string>> = {
  '.-': 'a',
  '-...': 'b',
  '-.-.': 'c',
  '-..': 'd',
  '.': 'e',
  '..-.': 'f',
  '--.': 'g',
  '....': 'h',
  '..': 'i',
  '.---': 'j',
  '-.-': 'k',
  '.-..': 'l',
  '--': 'm',
  '-.': 'n',
  '---': 'o',
  '.--.': 'p',
  '--.-': 'q',
  '.-.': 'r',
  '...': 's',
  '-': 't',
  '..-': 'u',
  '...-': 'v',
  '.--': 'w',
  '-..-': 'x',
  '-.--': 'y',
  '--..': 'z',
  '-----': '0',
  '.----': '1',
  '..---': '2',
  '...--': '3',
  '....-': '4',
  '.....': '5',
  '-....': '6',
  '--...': '7',
  '---..': '8',
  '----.': '9',
  '.-.-.-': '.',
  '--..--': ',',
  '..--..': '?',
};

/** Morse code: twelve or more letters of dots and dashes, letters apart by spaces, words by ` / ` (or three spaces). */
export const MORSE_RUN = /(?<![.\-\w])(?:[.-]{1,6}(?: ?\/ ?| {1,3})){11,8192}[.-]{1,6}(?![.\-\w])/g;

/** The text a Morse run spells; null when a letter is not Morse. */
export function morseText(run: string): string | null {
  let out = '';
  for (const word of run.trim().split(/ ?\/ ?| {3}/)) {
    for (const code of word.trim().split(/ +/)) {
      if (code === '') continue;
      const letter = MORSE[code];
      if (letter === undefined) return null;
      out += letter;
    }
    out += ' ';
  }
  return out.trimEnd();
}
