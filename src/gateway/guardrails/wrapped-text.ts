import { readable } from './injection/fold.js';

/**
 * Text wrapped in base64 or hex inside a body — a resource's `blob`, a field or a line holding
 * encoded text: a model decodes it at sight, so detect_pii reads what it spells, and a redaction is
 * written inside it, encoded again the way it was.
 */
export interface WrappedRun {
  /** Where the run stands in the text it was found in. */
  readonly start: number;
  readonly end: number;
  /** What it spells. */
  readonly text: string;
  /** How to write a text in its place, as the run was written (alphabet, padding, line breaks). */
  wrap(text: string): string;
}

// Runs of 16 characters or more (12 bytes of base64, 8 of hex): an address or a number is longer than that.
const LEAST_RUN = 16;
// The shortest decoded text read: an e-mail address of `a@b.co` is six bytes.
const LEAST_BYTES = 6;

// Each character's base64 value (64: not base64; `-` and `_` are base64url's), and whether it is a hex digit.
const B64 = new Uint8Array(128).fill(64);
const HEX = new Uint8Array(128);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
B64[45] = 62;
B64[95] = 63;
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/**
 * The base64 and hex runs of a text (at most `limit` characters of them decoded) that spell readable
 * text. One pass finds the runs; a run's first 16 characters are decoded by hand and must read as text
 * before the run is decoded whole (a page of keys, hashes and identifiers is thousands of runs).
 */
export function wrappedRuns(text: string, limit: number): WrappedRun[] {
  const out: WrappedRun[] = [];
  if (text.length < LEAST_RUN) return out;
  if (base64Lines(text)) {
    const joined = text.replace(/\s+/g, '');
    const decoded = readable(Buffer.from(joined, 'base64'), false, LEAST_BYTES);
    if (decoded !== null) {
      const trimmed = text.trim();
      const width = trimmed.indexOf('\n') - (trimmed.includes('\r\n') ? 1 : 0);
      const lead = text.slice(0, text.length - text.trimStart().length);
      const tail = text.slice(text.trimEnd().length);
      out.push({ start: 0, end: text.length, text: decoded, wrap: (t) => lead + lines(Buffer.from(t).toString('base64'), width) + tail });
    }
    return out;
  }
  candidateRuns(text, limit, (start, end, hex) => {
    const run = text.slice(start, end);
    if (hex) {
      const decoded = readable(Buffer.from(run, 'hex'), false, LEAST_BYTES);
      const capitals = run === run.toUpperCase();
      if (decoded !== null)
        out.push({ start, end, text: decoded, wrap: (t) => (capitals ? Buffer.from(t).toString('hex').toUpperCase() : Buffer.from(t).toString('hex')) });
      return true;
    }
    const url = run.includes('-') || run.includes('_');
    const decoded = readable(Buffer.from(run, url ? 'base64url' : 'base64'), false, LEAST_BYTES);
    if (decoded === null) return true;
    const padded = run.endsWith('=');
    out.push({
      start,
      end,
      text: decoded,
      wrap: (t) => {
        const encoded = Buffer.from(t).toString(url ? 'base64url' : 'base64');
        return padded || url ? encoded : encoded.replace(/=+$/, '');
      },
    });
    return true;
  });
  return out;
}

/** Whether a text may hold wrapped text (a run wrappedRuns would decode): a cheap look at a whole body, no run decoded. */
export function holdsWrappedText(text: string): boolean {
  if (base64Lines(text)) return true;
  let found = false;
  candidateRuns(text, text.length, () => {
    found = true;
    return false;
  });
  return found;
}

/**
 * Calls `each` with every run of a text that may be wrapped text (at most `limit` characters of runs), until it returns
 * false: a hex run (even, digits and letters a–f) or a base64 run (capitals and small letters or digits: a word or an
 * identifier is not one) of LEAST_RUN characters or more whose first LEAST_RUN decode to what can begin a text.
 */
function candidateRuns(text: string, limit: number, each: (start: number, end: number, hex: boolean) => boolean): void {
  let left = limit;
  // `i` stands at the text's start or just past a character no run holds. A run of LEAST_RUN or more holds the
  // LEAST_RUN characters from `i`: they are read from the last back, and a break among them is skipped past (most of
  // a page's characters are never read).
  for (let i = 0; i + LEAST_RUN <= text.length && left > 0; ) {
    let j = i + LEAST_RUN - 1;
    while (j >= i && isB64(text.charCodeAt(j))) j--;
    if (j >= i) {
      i = j + 1;
      continue;
    }
    // The run (with the `=` that pads it), then whether it has capitals, small letters or digits, letters a–f, and
    // only hex digits: read until all are settled (a long run of base64 settles them in its first few characters).
    const start = i;
    while (i < text.length && isB64(text.charCodeAt(i))) i++;
    let upper = false;
    let lowerOrDigit = false;
    let digit = false;
    let letterAf = false;
    let hex = true;
    for (let k = start; k < i && (hex || !upper || !lowerOrDigit); k++) {
      const d = text.charCodeAt(k);
      if (d >= 65 && d <= 90) upper = true;
      else if ((d >= 97 && d <= 122) || (d >= 48 && d <= 57)) lowerOrDigit = true;
      if (d >= 48 && d <= 57) digit = true;
      else if (HEX[d] === 1) letterAf = true;
      else hex = false;
    }
    let end = i;
    while (end < text.length && end - i < 2 && text.charCodeAt(end) === 61) end++;
    i = end;
    const isHex = hex && end === i && (end - start) % 2 === 0 && digit && letterAf;
    if (!isHex && (!upper || !lowerOrDigit)) continue;
    left -= end - start;
    if (leadsAsText(text, start, isHex) && !each(start, end, isHex)) return;
  }
}

/**
 * Whether a whole text is base64 broken into lines (MIME's 76 characters a line, PEM's 64): standard base64 and line
 * breaks only, padding at the end, spaces around, a first line of LEAST_RUN or more. Read by hand: a regex of it
 * backtracked through every character of a long run (~10 ms a MiB).
 */
function base64Lines(text: string): boolean {
  const first = text.indexOf('\n');
  if (first < 0) return false;
  let a = 0;
  let b = text.length;
  while (a < b && text.charCodeAt(a) <= 32) a++;
  while (b > a && text.charCodeAt(b - 1) <= 32) b--;
  for (let pads = 0; pads < 2 && b > a && text.charCodeAt(b - 1) === 61; pads++) b--;
  if (first - a < LEAST_RUN) return false;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) continue;
    if (c === 45 || c === 95 || !isB64(c)) return false;
  }
  return true;
}

function isB64(c: number): boolean {
  return c < 128 && B64[c] !== 64;
}

// The bytes leadsAsText decodes, kept (a page of keys asks for thousands of runs).
const LEAD = new Uint8Array(12);

/** Whether the 16 characters of a run at `at` decode to what can begin a UTF-8 text: no control character, every sequence well formed. */
function leadsAsText(text: string, at: number, hex: boolean): boolean {
  const bytes = LEAD;
  let n = 0;
  if (hex) {
    for (let k = at; k + 1 < at + LEAST_RUN; k += 2) bytes[n++] = hexValue(text.charCodeAt(k)) * 16 + hexValue(text.charCodeAt(k + 1));
  } else {
    for (let k = at; k < at + LEAST_RUN; k += 4) {
      const v = (B64[text.charCodeAt(k)]! << 18) | (B64[text.charCodeAt(k + 1)]! << 12) | (B64[text.charCodeAt(k + 2)]! << 6) | B64[text.charCodeAt(k + 3)]!;
      bytes[n++] = v >> 16;
      bytes[n++] = (v >> 8) & 255;
      bytes[n++] = v & 255;
    }
  }
  for (let k = 0; k < n; ) {
    const b = bytes[k]!;
    if (b < 0x80) {
      if ((b < 32 && b !== 9 && b !== 10 && b !== 13) || b === 127) return false;
      k++;
      continue;
    }
    const follow = b >= 0xf5 ? -1 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 ? 1 : -1;
    if (follow < 0) return false;
    for (let f = 1; f <= follow && k + f < n; f++) if ((bytes[k + f]! & 0xc0) !== 0x80) return false;
    k += follow + 1;
  }
  return true;
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** A base64 text broken into lines of `width` characters. */
function lines(encoded: string, width: number): string {
  if (width <= 0) return encoded;
  const out: string[] = [];
  for (let i = 0; i < encoded.length; i += width) out.push(encoded.slice(i, i + width));
  return out.join('\n');
}
