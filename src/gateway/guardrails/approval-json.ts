/**
 * A JSON body read the way an approval needs it: exactly what an upstream reads, never what
 * JSON.parse happens to keep. JSON.parse replaces undecodable UTF-8 with U+FFFD, keeps the last of
 * duplicate keys (many upstream parsers keep the first), and rounds numbers to doubles
 * (`10000000000000001` reads as `10000000000000000`, `1e400` as Infinity). Two bodies that differ
 * in what an upstream executes must never digest or display alike, so numbers are kept as their
 * literal text (JSON.rawJSON) and duplicate keys are reported.
 */

/** V8's JSON source-text access (Node ≥ 21), not yet in TypeScript's lib. */
const SourceJson = JSON as unknown as {
  rawJSON(text: string): object;
  isRawJSON(value: unknown): boolean;
};

/** Whether a value is a number kept as its literal text (see readJsonExactly). */
export function isRawNumber(value: unknown): boolean {
  return SourceJson.isRawJSON(value);
}

/** What readJsonExactly made of a body. */
export interface ExactJson {
  /** The value with every number kept as its literal text (JSON.stringify writes it back verbatim). */
  value: unknown;
  /** A duplicate key (decoded) somewhere in the body, or null: the body means different things to different parsers. */
  duplicateKey: string | null;
  /** A number literal JavaScript cannot read exactly (`10000000000000001`, `1e400`, `0.10000000000000001`), or null. */
  inexactNumber: string | null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as exact JSON, or undefined when it is not JSON as an upstream reads it: not valid
 * UTF-8, a byte-order mark in front (kept: JSON.parse then refuses it), or not JSON at all.
 * The caller has already refused JSON nested too deep (see runNodes).
 */
export function readJsonExactly(raw: Buffer | null): ExactJson | undefined {
  if (raw === null || raw.length === 0) return undefined;
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    return undefined;
  }
  let inexactNumber: string | null = null;
  let value: unknown;
  try {
    value = JSON.parse(text, (_key, v: unknown, context?: { source?: string }) => {
      if (typeof v !== 'number' || context?.source === undefined) return v;
      if (inexactNumber === null && !readsExactly(context.source)) inexactNumber = context.source;
      return SourceJson.rawJSON(context.source);
    });
  } catch {
    return undefined;
  }
  return { value, duplicateKey: firstDuplicateKey(text), inexactNumber };
}

/** `[sign, digits without leading or trailing zeros, exponent]` of a decimal literal, as one string; null when it is not one. */
function decimalOf(literal: string): string | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) return null;
  const frac = m[3] ?? '';
  let digits = `${m[2]}${frac}`.replace(/^0+/, '');
  if (digits === '') return '0';
  let exp = Number(m[4] ?? 0) - frac.length;
  const kept = digits.replace(/0+$/, '');
  exp += digits.length - kept.length;
  digits = kept;
  return `${m[1]}${digits}e${exp}`;
}

/** Whether the number a literal names is exactly the double JavaScript reads it as (its value, not its spelling: `1.50` reads exactly). */
function readsExactly(literal: string): boolean {
  const read = Number(literal);
  if (!Number.isFinite(read)) return false;
  const a = decimalOf(literal);
  return a !== null && a === decimalOf(String(read));
}

/** The first key that appears twice in one object (compared decoded: `"a"` and `"\u0061"` are the same key), or null. One pass, no recursion. */
function firstDuplicateKey(text: string): string | null {
  // One set of keys per open object; null for an open array.
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      open.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = open.at(-1) instanceof Set;
    } else if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (expectKey) {
        const keys = open.at(-1) as Set<string>;
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    }
  }
  return null;
}
