/**
 * A JSON body read the way an approval needs it: exactly what an upstream reads, never what
 * JSON.parse happens to keep. JSON.parse replaces undecodable UTF-8 with U+FFFD, keeps the last of
 * duplicate keys (many upstream parsers keep the first), and rounds numbers to doubles
 * (`10000000000000001` reads as `10000000000000000`, `1e400` as Infinity). Two bodies that differ
 * in what an upstream executes must never digest or display alike: a body stands for its parsed
 * value only when no key repeats and every number is written as JavaScript writes it back.
 */

/** What readJsonExactly made of a body. */
export interface ExactJson {
  /** The value as JSON.parse reads it: exact only when the next three say nothing. */
  value: unknown;
  /** A duplicate key (decoded) somewhere in the body, or null: the body means different things to different parsers. */
  duplicateKey: string | null;
  /** A number literal JavaScript cannot read exactly (`10000000000000001`, `1e400`, `0.10000000000000001`), or null. */
  inexactNumber: string | null;
  /** A number literal written otherwise than JavaScript writes the value back (`1.50`, `1e3`, `-0`, and every inexact one), or null. */
  respelledNumber: string | null;
}

/** Whether the parsed value stands for the body exactly: canonical JSON of it, and its pretty-printing, write every number as sent. */
export function isExact(json: ExactJson): boolean {
  return json.duplicateKey === null && json.respelledNumber === null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as JSON, with what JSON.parse would hide about it, or undefined when it is not JSON as
 * an upstream reads it: not valid UTF-8, a byte-order mark in front (kept: JSON.parse then refuses
 * it), or not JSON at all. The caller has already refused JSON nested too deep (see runNodes).
 * One JSON.parse and one pass over the text (a reviver with source access costs ten times more).
 */
export function readJsonExactly(raw: Buffer | null): ExactJson | undefined {
  if (raw === null || raw.length === 0) return undefined;
  let text: string;
  let value: unknown;
  try {
    text = UTF8.decode(raw);
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return { value, ...scan(text) };
}

/** `sign digits e exponent` of a decimal literal, digits without leading or trailing zeros; null when it is not one. */
function decimalOf(literal: string): string | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) return null;
  const frac = m[3] ?? '';
  const digits = `${m[2]}${frac}`.replace(/^0+/, '');
  if (digits === '') return '0';
  const kept = digits.replace(/0+$/, '');
  return `${m[1]}${kept}e${Number(m[4] ?? 0) - frac.length + digits.length - kept.length}`;
}

/** Whether the number a literal names is exactly the double JavaScript reads it as (its value, not its spelling: `1.50` reads exactly). */
function readsExactly(literal: string): boolean {
  const read = Number(literal);
  if (!Number.isFinite(read)) return false;
  const a = decimalOf(literal);
  return a !== null && a === decimalOf(String(read));
}

/**
 * Whether JavaScript writes a number back as this very literal. Plain literals of at most 15
 * significant digits are decided without converting: every such decimal is its double's shortest
 * form, so it is written back as is when it has no leading zero, no trailing zero after a point,
 * is not -0, and is not small enough for exponent notation (below 1e-6).
 */
function spelledAsRead(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  let point = -1;
  let plain = end - i <= 16;
  for (let k = i; plain && k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x2e && point === -1) point = k;
    else if (c < 0x30 || c > 0x39) plain = false;
  }
  if (plain) {
    const intDigits = (point === -1 ? end : point) - i;
    const leadingZero = text.charCodeAt(i) === 0x30;
    if (point === -1) {
      if (intDigits > 15) plain = false;
      // `0` is written back as itself; `-0` and `007` are not.
      else return leadingZero ? intDigits === 1 && i === start : true;
    } else if (text.charCodeAt(end - 1) === 0x30 || (leadingZero && intDigits > 1)) return false;
    else if (!leadingZero) return intDigits + (end - point - 1) <= 15 || String(Number(text.slice(start, end))) === text.slice(start, end);
    else {
      // 0.000…: exponent notation below 1e-6 (five zeros after the point at most).
      let zeros = 0;
      while (text.charCodeAt(point + 1 + zeros) === 0x30) zeros++;
      if (zeros <= 5 && end - point - 1 - zeros <= 15) return true;
    }
  }
  const literal = text.slice(start, end);
  return String(Number(literal)) === literal;
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

/**
 * One pass over valid JSON text: the first key that appears twice in one object (compared decoded:
 * `"a"` and `"\u0061"` are the same key), and the first number literal JavaScript reads inexactly
 * or writes back otherwise. No recursion.
 */
function scan(text: string): Omit<ExactJson, 'value'> {
  let duplicateKey: string | null = null;
  let inexactNumber: string | null = null;
  let respelledNumber: string | null = null;
  // One set of keys per open object; null for an open array.
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // The closing quote: the next one not escaped (an odd run of backslashes before it escapes it).
      let j = text.indexOf('"', i + 1);
      for (;;) {
        let b = j - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (expectKey) {
        if (duplicateKey === null) {
          const keys = open[open.length - 1] as Set<string>;
          const inner = text.slice(i + 1, j);
          const key = inner.includes('\\') ? (JSON.parse(text.slice(i, j + 1)) as string) : inner;
          if (keys.has(key)) duplicateKey = key;
          else keys.add(key);
        }
        expectKey = false;
      }
      i = j;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      if (respelledNumber === null || inexactNumber === null) {
        if (!spelledAsRead(text, i, j)) {
          const literal = text.slice(i, j);
          respelledNumber ??= literal;
          if (inexactNumber === null && !readsExactly(literal)) inexactNumber = literal;
        }
      }
      i = j - 1;
    } else if (c === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      open.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = open[open.length - 1] instanceof Set;
    }
  }
  return { duplicateKey, inexactNumber, respelledNumber };
}
