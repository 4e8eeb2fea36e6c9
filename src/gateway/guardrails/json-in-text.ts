/**
 * JSON carried inside a text: a structured tool result's text twin (`{"text":"…\n…"}`), an API's
 * JSON in a `text/plain` body or in a string field. A model reads it as the JSON it is — escapes
 * decoded, each value a text — so the detectors read its values, not its escaped characters; and
 * what they redact is written back into the text literal by literal, its layout and numbers kept.
 */

/** Whether a text is shaped like a JSON object or array: `{…}` or `[…]`, spaces around allowed (a cheap look before any parse). */
function jsonShaped(text: string): boolean {
  let a = 0;
  let b = text.length - 1;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b))) b--;
  const first = text.charCodeAt(a);
  const last = text.charCodeAt(b);
  return b > a && ((first === 123 && last === 125) || (first === 91 && last === 93));
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** How deep JSON inside a text may nest to be opened: as deep as a body may (deeper, it is read as the text it is). */
const MAX_NESTING = 128;

/** Whether a JSON text's brackets nest at most `most` deep (strings skipped): one pass, before any parse. */
function nestsWithin(text: string, most: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) {
      if (++depth > most) return false;
    } else if (c === 125 || c === 93) depth--;
  }
  return true;
}

/** The object or array a text holds as JSON, or undefined (not shaped so, or not JSON). */
export function jsonInText(text: string): object | undefined {
  if (text.length < 2 || !jsonShaped(text) || !nestsWithin(text, MAX_NESTING)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON text with each value `replaced` names (by the text a walk read it as: a string, or an
 * integer's digits) written as its replacement, and each key `keys` names renamed; layout and every
 * other literal stay as they were — no parse and re-serialization, which would lose large integers'
 * digits and the indentation.
 */
export function rewriteJsonText(text: string, replaced: ReadonlyMap<string, unknown>, keys: ReadonlyMap<string, string> = new Map()): string {
  const out: string[] = [];
  let copied = 0;
  const put = (from: number, to: number, value: unknown) => {
    out.push(text.slice(copied, from), JSON.stringify(value));
    copied = to;
  };
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      let next = end + 1;
      while (next < text.length && isSpace(text.charCodeAt(next))) next++;
      // A key (a colon follows) is renamed only as `keys` says.
      const map: ReadonlyMap<string, unknown> = text.charCodeAt(next) === 58 ? keys : replaced;
      if (map.size > 0) {
        const value = JSON.parse(text.slice(i, end + 1)) as string;
        if (map.has(value)) put(i, end + 1, map.get(value));
      }
      i = end + 1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let end = i + 1;
      while (end < text.length && /[0-9eE+.-]/.test(text[end]!)) end++;
      const digits = String(Number(text.slice(i, end)));
      if (replaced.has(digits)) put(i, end, replaced.get(digits));
      i = end;
    } else i++;
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}
