import { type HeaderMap, headerValue } from '../net/header-map.js';

/** A gateway credential found on a request, and which header carried it. */
export interface PresentedCredential {
  kind: 'token' | 'jwt';
  value: string;
  header: 'authorization' | 'x-api-key';
}

const TOKEN_PREFIX = 'ghk_';

function classify(value: string, header: PresentedCredential['header']): PresentedCredential {
  // Our tokens carry a prefix; anything else shaped header.payload.signature is a JWT.
  const jwt = !value.startsWith(TOKEN_PREFIX) && value.split('.').length === 3;
  return { kind: jwt ? 'jwt' : 'token', value, header };
}

/**
 * The caller's gateway credential: `Authorization: Bearer …` first, else `X-API-Key`. A non-Bearer
 * `Authorization` (e.g. Basic for the upstream) is not ours and is left alone.
 */
export function presentedCredential(headers: HeaderMap): PresentedCredential | null {
  const bearer = bearerOf(headers);
  if (bearer) return classify(bearer, 'authorization');
  const key = headerValue(headers, 'x-api-key')?.trim();
  return key ? classify(key, 'x-api-key') : null;
}

/** The token of an `Authorization: Bearer …` header, or null: how REST and virtual MCP servers alike find a caller's token. */
export function bearerOf(headers: HeaderMap): string | null {
  const auth = headerValue(headers, 'authorization');
  if (!auth || auth.length <= 7 || !startsWithBearer(auth)) return null;
  return auth.slice(7).trim() || null;
}

/**
 * Whether `value` begins with `Bearer ` in any letter case. Compared by character code: slice and
 * toLowerCase made two strings on every authenticated call. `| 0x20` folds only the ASCII capitals
 * here (no other code unit lands on b, e, a or r), and the space is compared as it is.
 */
function startsWithBearer(value: string): boolean {
  return (
    (value.charCodeAt(0) | 0x20) === 0x62 &&
    (value.charCodeAt(1) | 0x20) === 0x65 &&
    (value.charCodeAt(2) | 0x20) === 0x61 &&
    (value.charCodeAt(3) | 0x20) === 0x72 &&
    (value.charCodeAt(4) | 0x20) === 0x65 &&
    (value.charCodeAt(5) | 0x20) === 0x72 &&
    value.charCodeAt(6) === 0x20
  );
}
