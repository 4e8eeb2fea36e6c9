/**
 * The wrappings beside base64 and hex that attack collections use to slip an order past a filter and that a
 * model unwraps when asked (garak's encoding probes among them): base32, Ascii85 (Adobe's), quoted-printable, bytes written
 * in binary, and Morse code. Each decoder returns the bytes or text a candidate spells, or null; the caller
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

/**
 * Ascii85 runs in Adobe's wrapping (`<~ … ~>`, line breaks allowed), found with a native search. Bare Ascii85 (as
 * Python's a85encode writes it) is not searched: telling it from paths and code takes a pass over every character
 * (7–11 ms a MiB measured on 27 Nov 2026, a fifth of the CPU target), for a wrapping seldom seen outside test sets.
 */
export function ascii85Runs(text: string, visit: (run: string) => boolean): void {
  for (let i = text.indexOf('<~'); i >= 0; i = text.indexOf('<~', i)) {
    const end = text.indexOf('~>', i + 2);
    if (end < 0) return;
    if (end - i >= 12 && end - i <= 8192 && !visit(text.slice(i, end + 2))) return;
    i = end + 2;
  }
}

/** The bytes an Ascii85 run spells; null when it is malformed. */
export function ascii85Bytes(run: string): Buffer | null {
  const body = run.slice(2, -2).replace(/\s+/g, '');
  const out: number[] = [];
  let group = 0;
  let count = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 122 /* z */) {
      if (count !== 0) return null;
      out.push(0, 0, 0, 0);
      continue;
    }
    if (c < 33 || c > 117) return null;
    group = group * 85 + (c - 33);
    if (++count === 5) {
      if (group > 0xffffffff) return null;
      out.push((group >>> 24) & 0xff, (group >>> 16) & 0xff, (group >>> 8) & 0xff, group & 0xff);
      group = 0;
      count = 0;
    }
  }
  if (count === 1) return null;
  if (count > 0) {
    // A partial group is padded with `u` (84) and as many bytes dropped as characters were missing.
    for (let k = count; k < 5; k++) group = group * 85 + 84;
    const bytes = [(group >>> 24) & 0xff, (group >>> 16) & 0xff, (group >>> 8) & 0xff, group & 0xff];
    out.push(...bytes.slice(0, count - 1));
  }
  return Buffer.from(out);
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
