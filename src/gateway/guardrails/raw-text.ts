import { isAscii } from 'node:buffer';

/**
 * A body's bytes as text a pre-check can trust (see mayInjectSteps): every text inside it (a JSON
 * string, or the whole body) appears in it character for character, but for the other JSON
 * escapes (`\n`, `\"`…), which the pre-check allows for. That holds for ASCII without `\u`
 * escapes (one can spell any character). Null when it does not hold: then every text is read.
 */
export function verbatimText(raw: Buffer | string): string | null {
  // A string is ASCII when its UTF-8 takes one byte a character.
  if (typeof raw === 'string') return Buffer.byteLength(raw, 'utf8') !== raw.length || raw.includes('\\u') ? null : raw;
  if (!isAscii(raw) || raw.includes('\\u')) return null;
  return raw.toString('latin1');
}
