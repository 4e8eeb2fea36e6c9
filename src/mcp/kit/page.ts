import { ProtocolError } from '@modelcontextprotocol/server';

/** Items per page of a list an endpoint paginates. */
export const PAGE_SIZE = 100;

/** One page of a list, and the cursor of the next when there is more. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
  /** The list result's `_meta` (e.g. the upstreams a virtual server's list left out). */
  _meta?: Record<string, unknown>;
}

const encode = (after: string) => Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');

function decode(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { after?: unknown }).after === 'string') return (parsed as { after: string }).after;
  } catch {
    // not one of ours: refused below
  }
  throw new ProtocolError(-32602, 'Invalid cursor');
}

/**
 * The page of `items` (sorted by `keyOf`, unique keys) after `cursor`. The cursor names the last
 * key handed out, not a position, so it needs no state, any node continues it, and an item added
 * or removed between pages neither repeats nor skips another. A cursor that is not one of ours is
 * -32602 (invalid params), as the specification says.
 */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, cursor: string | undefined, size = PAGE_SIZE): Page<T> {
  const after = cursor === undefined ? undefined : decode(cursor);
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, size);
  const last = page.at(-1);
  return rest.length > size && last !== undefined ? { items: page, nextCursor: encode(keyOf(last)) } : { items: page };
}

const encodeAt = (after: string, index: number) => Buffer.from(JSON.stringify({ after, index }), 'utf8').toString('base64url');

/**
 * The page of `items` in their own order (an upstream's, not sorted) after `cursor`, which names the
 * last key handed out and its position: the next page starts after that key wherever it now is, or,
 * when it is gone, at its old position (so an item removed between pages may shift the rest by one).
 */
export function pageInOrder<T>(items: readonly T[], keyOf: (item: T) => string, cursor: string | undefined, size = PAGE_SIZE): Page<T> {
  let start = 0;
  if (cursor !== undefined) {
    const after = decode(cursor);
    const at = items.findIndex((item) => keyOf(item) === after);
    start = at !== -1 ? at + 1 : indexOf(cursor);
  }
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  return start + size < items.length && last !== undefined ? { items: page, nextCursor: encodeAt(keyOf(last), start + size - 1) } : { items: page };
}

function indexOf(cursor: string): number {
  const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { index?: unknown };
  return typeof parsed.index === 'number' && Number.isInteger(parsed.index) && parsed.index >= 0 ? parsed.index : 0;
}
