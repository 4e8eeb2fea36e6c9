import { setImmediate as giveWay } from 'node:timers/promises';
import { GatehouseError, MAX_JSON_DEPTH } from '../core/index.js';

// A container spanning more characters than this is built a child at a time; anything smaller is one JSON.parse.
const BIG = 64 * 1024;
// The event loop gets a turn after this long.
const SLICE_MS = 5;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

// Keys a secure parse refuses (Fastify's default parser): such a body takes the ordinary path.
const SUSPECT_PROTO =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR =
  /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

/** Where the text's big containers end, and the positions and depths of every comma outside strings. */
interface Skeleton {
  ends: Map<number, number>;
  commaAt: number[];
  commaDepth: number[];
}

/**
 * The value of a large JSON text (a 7 MB declarative apply), checked for depth and parsed without
 * holding the event loop: one scan in slices finds the big containers and their commas, then each
 * big container is built from JSON.parse of runs of its small children, giving way between runs.
 * The result equals JSON.parse's. Throws GATEHOUSE_JSON_TOO_DEEP past `maxDepth`, and a SyntaxError
 * for malformed text or keys a secure parse refuses (`__proto__`, `constructor`): the caller's
 * ordinary parser then gives its own answer.
 */
export async function parseJsonInSlices(text: string, maxDepth: number = MAX_JSON_DEPTH): Promise<unknown> {
  if (SUSPECT_PROTO.test(text) || SUSPECT_CONSTRUCTOR.test(text)) throw new SyntaxError('left to the secure parser');
  const skeleton = await scan(text, maxDepth);
  const start = skipSpace(text, 0);
  const end = skeleton.ends.get(start);
  if (end === undefined) return JSON.parse(text);
  if (skipSpace(text, end + 1) !== text.length) throw new SyntaxError('text after the JSON value');
  const clock = { last: performance.now() };
  return build(text, start, end, 1, skeleton, clock);
}

async function scan(text: string, maxDepth: number): Promise<Skeleton> {
  const skeleton: Skeleton = { ends: new Map(), commaAt: [], commaDepth: [] };
  const opens: number[] = [];
  let inString = false;
  let last = performance.now();
  for (let i = 0; i < text.length; i++) {
    if ((i & 0x3fff) === 0 && performance.now() - last > SLICE_MS) {
      await giveWay();
      last = performance.now();
    }
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === COMMA) {
      skeleton.commaAt.push(i);
      skeleton.commaDepth.push(opens.length);
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (opens.push(i) > maxDepth) throw new GatehouseError('GATEHOUSE_JSON_TOO_DEEP');
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      const open = opens.pop();
      if (open === undefined || text.charCodeAt(open) !== (c === CLOSE_ARRAY ? OPEN_ARRAY : OPEN_OBJECT)) throw new SyntaxError('unbalanced brackets');
      if (i - open > BIG || opens.length === 0) skeleton.ends.set(open, i);
    }
  }
  if (inString || opens.length > 0) throw new SyntaxError('unterminated JSON text');
  return skeleton;
}

/** Builds the big container [open, close] whose children sit at `depth`. */
async function build(text: string, open: number, close: number, depth: number, skeleton: Skeleton, clock: { last: number }): Promise<unknown> {
  const isArray = text.charCodeAt(open) === OPEN_ARRAY;
  const out: unknown[] | Record<string, unknown> = isArray ? [] : {};
  const set = (key: string, value: unknown) => Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  // The children: the text between the container's own commas.
  const bounds = [open];
  for (let k = firstAfter(skeleton.commaAt, open); k < skeleton.commaAt.length && skeleton.commaAt[k]! < close; k++)
    if (skeleton.commaDepth[k] === depth) bounds.push(skeleton.commaAt[k]!);
  bounds.push(close);
  if (bounds.length === 2 && skipSpace(text, open + 1) === close) return out;
  let runFrom = -1;
  let runTo = -1;
  const flush = async () => {
    if (runFrom < 0) return;
    const run = text.slice(runFrom, runTo);
    runFrom = -1;
    if (Array.isArray(out)) for (const v of JSON.parse(`[${run}]`) as unknown[]) out.push(v);
    else {
      const part = JSON.parse(`{${run}}`) as Record<string, unknown>;
      for (const key of Object.keys(part)) set(key, part[key]);
    }
    if (performance.now() - clock.last > SLICE_MS) {
      await giveWay();
      clock.last = performance.now();
    }
  };
  for (let b = 0; b + 1 < bounds.length; b++) {
    const from = bounds[b]! + 1;
    const to = bounds[b + 1]!;
    const valueAt = isArray ? skipSpace(text, from) : memberValueAt(text, from);
    // An empty child (`[1,,2]`, `[1,]`) would vanish from a run of its own.
    if (valueAt >= to) throw new SyntaxError('a value is missing');
    const end = skeleton.ends.get(valueAt);
    if (end === undefined || end >= to) {
      if (runFrom < 0) runFrom = from;
      runTo = to;
      if (runTo - runFrom > BIG) await flush();
      continue;
    }
    await flush();
    if (skipSpace(text, end + 1) !== to) throw new SyntaxError('unexpected text after a value');
    const value = await build(text, valueAt, end, depth + 1, skeleton, clock);
    if (Array.isArray(out)) out.push(value);
    else set(JSON.parse(text.slice(skipSpace(text, from), keyEnd(text, skipSpace(text, from)))) as string, value);
  }
  await flush();
  return out;
}

/** Where a member's value starts: after its key and colon. */
function memberValueAt(text: string, from: number): number {
  const key = skipSpace(text, from);
  if (text.charCodeAt(key) !== QUOTE) throw new SyntaxError('a key must be a string');
  const colon = skipSpace(text, keyEnd(text, key));
  if (text.charCodeAt(colon) !== COLON) throw new SyntaxError('a key must be followed by a colon');
  return skipSpace(text, colon + 1);
}

/** The position just after the string that starts at `at`. */
function keyEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  throw new SyntaxError('unterminated string');
}

function skipSpace(text: string, from: number): number {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

/** The index of the first entry of the sorted `xs` greater than `x`. */
function firstAfter(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
