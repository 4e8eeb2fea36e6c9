import { randomUUID } from 'node:crypto';

/** The one rule for a caller-supplied `X-Request-Id`: a short token of URL- and header-safe characters. */
const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

// UUID-shaped ids without a random draw per call: a random per-process prefix (the first four
// groups of a v4 UUID) and a 48-bit counter as the last group. Unique within the process, and
// across processes as unlikely to collide as the prefixes are.
let prefix = '';
let counter = 0;
const COUNTER_SPACE = 2 ** 48;

/** A new request id. */
export function newRequestId(): string {
  if (prefix === '' || counter >= COUNTER_SPACE) {
    prefix = randomUUID().slice(0, 24);
    counter = 0;
  }
  return prefix + (counter++).toString(16).padStart(12, '0');
}

/** The caller's X-Request-Id when it is a sane token, else a new one; every surface decides by this. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : newRequestId();
}
