/**
 * How deep a JSON body may nest. Parsing far deeper is cheap, but the validators, schema checks
 * and clones that walk a parsed value recurse, and overflow the stack a few thousand levels down;
 * no configuration or MCP message the gateway serves needs more than a few dozen.
 */
export const MAX_JSON_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON text nests deeper than `max`, found by one linear scan before it is parsed:
 * brackets count outside strings only. Works on UTF-8 bytes as on a string (no byte of a
 * multi-byte UTF-8 character is ASCII). Malformed text is left for the parser to refuse.
 */
export function jsonNestsDeeperThan(text: string | Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? null : text;
  const length = text.length;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = bytes === null ? (text as string).charCodeAt(i) : bytes[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}
