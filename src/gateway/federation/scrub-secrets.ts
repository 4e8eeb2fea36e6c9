import { scrub } from './upstream-errors.js';

// MCP content carries bytes as base64 in these fields (resource blobs, image and audio data).
const BASE64_KEYS: ReadonlySet<string> = new Set(['blob', 'data']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 text with the secrets cut from the bytes it encodes; the text itself when none is there. */
function scrubBase64(text: string, secrets: readonly string[]): string {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return text;
  // latin1 maps bytes to characters one to one, so a byte sequence is cut exactly.
  const bytes = Buffer.from(text, 'base64').toString('latin1');
  const cut = scrub(
    bytes,
    secrets.map((s) => Buffer.from(s, 'utf8').toString('latin1')),
  );
  return cut === bytes ? text : Buffer.from(cut, 'latin1').toString('base64');
}

/**
 * A copy of what an upstream returned (a tool result, a prompt, a resource's contents, a list) with
 * every secret value the gateway sent it cut out, wherever it sits: text, descriptions, embedded
 * resources, structured content, object keys, and the bytes of base64 blobs. Unchanged parts are
 * shared, and a value with nothing to cut is returned as it is.
 */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.every((s) => s.length < 4)) return value;
  return walk(value, secrets, undefined) as T;
}

function walk(value: unknown, secrets: readonly string[], key: string | undefined): unknown {
  if (typeof value === 'string') {
    const text = scrub(value, secrets);
    return key !== undefined && BASE64_KEYS.has(key) ? scrubBase64(text, secrets) : text;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const cut = walk(item, secrets, undefined);
      if (cut !== item) changed = true;
      return cut;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const name = scrub(k, secrets);
      const cut = walk(v, secrets, k);
      if (name !== k || cut !== v) changed = true;
      out[name] = cut;
    }
    return changed ? out : value;
  }
  return value;
}
