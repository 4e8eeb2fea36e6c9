import { jsonInText, rewriteJsonText } from './json-in-text.js';
import { runNow, type Work } from './slicing.js';

/** Texts visited between two points where a walk may pause (each is a cheap look for most). */
const TEXTS_PER_STEP = 64;

/** What a synchronous visit returns to hand a text to the resumable one instead (a long text, read in windows). */
export const DEFER: unique symbol = Symbol('defer');

/** A visit that judges a text at once: the replacement, undefined (unchanged), or DEFER. */
export type VisitNow = (text: string, field: string | null) => unknown;

/** What a walk calls: each text's visits, and each key's (a replacement name, or undefined to keep it). */
interface Visits {
  visit: (text: string, field: string | null) => Work<unknown>;
  visitNow: VisitNow | undefined;
  onKey: ((key: string) => string | undefined) | undefined;
}

/** What a walk inside a JSON text replaced, by what it replaced: written back into that text. */
interface Replaced {
  values: Map<string, unknown>;
  keys: Map<string, string>;
}

/**
 * Walks a JSON value by value — strings (and integers long enough to be a card or phone number) —
 * without recursion, so a deeply nested body cannot exhaust the stack. `visit` sees each text
 * with the name of the field holding it (null in arrays and at the top); what it returns replaces
 * the value (undefined: unchanged). `onKey` sees each key before its value.
 */
export function walkJson(root: unknown, visit: (text: string, field: string | null) => unknown, onKey?: (key: string) => void): unknown {
  // Every text goes to `visit` as the synchronous visit (no generator per text); it never DEFERs.
  return runNow(walkSteps(root, { visit: unreachable, visitNow: visit, onKey: onKey && ((key) => void onKey(key)) }, MAX_JSON_IN_TEXT, null));
}

// biome-ignore lint/correctness/useYield: never called (walkJson's visit judges every text at once).
function* unreachable(): Work<unknown> {
  throw new Error('walkJson: a synchronous visit deferred a text');
}

/** How a resumable walk reads: JSON inside texts opened (`openJson`), keys renamed (`onKey`: a key's new name, or undefined). */
export interface WalkOptions {
  openJson?: boolean;
  onKey?: (key: string) => string | undefined;
}

/**
 * walkJson as resumable work: `visit` is itself work (a long text is read in windows), and the walk
 * pauses every few texts. With `visitNow`, each text is first offered to it: most texts of a body are
 * short, and a plain call costs a fraction of a generator's (a JSON body of 60,000 short strings
 * spent more on generators than on detection); what it DEFERs goes to `visit`.
 * With `openJson`, a text holding a JSON object or array (json-in-text.ts: a structured tool result's text
 * twin) is walked as that value, and what the visits replace in it is written back into the text. A key
 * `onKey` renames keeps its place among its object's keys (a second key renamed alike gets `#2`: no value is lost).
 */
export function walkJsonSteps(
  root: unknown,
  visit: (text: string, field: string | null) => Work<unknown>,
  visitNow?: VisitNow,
  options: WalkOptions = {},
): Work<unknown> {
  return walkSteps(root, { visit, visitNow, onKey: options.onKey }, options.openJson ? 0 : MAX_JSON_IN_TEXT, null);
}

/** How deep JSON inside a text inside JSON is opened (each level is a shorter text than the one holding it); a walk that opens none starts at it. */
const MAX_JSON_IN_TEXT = 3;

function* walkSteps(root: unknown, visits: Visits, level: number, replaced: Replaced | null): Work<unknown> {
  const { visit, visitNow, onKey } = visits;
  // A leaf's replacement (undefined: unchanged): its JSON's, its visitNow's, else its visit's.
  const judge = function* (text: string, field: string | null): Work<unknown> {
    const inner = level < MAX_JSON_IN_TEXT ? jsonInText(text) : undefined;
    if (inner !== undefined) return yield* jsonTextSteps(text, inner, visits, level);
    if (visitNow !== undefined) {
      const now = visitNow(text, field);
      if (now !== DEFER) return now;
    }
    return yield* visit(text, field);
  };
  const rootText = textOf(root);
  if (rootText !== null) return (yield* judge(rootText, null)) ?? root;
  const stack: unknown[] = [root];
  let texts = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (v !== null && typeof v === 'object') stack.push(v);
        else {
          const text = textOf(v);
          if (text !== null) {
            let next = visitNow === undefined || (level < MAX_JSON_IN_TEXT && mayHoldJson(text)) ? DEFER : visitNow(text, null);
            if (next === DEFER) next = yield* judge(text, null);
            if (next !== undefined) {
              node[i] = next;
              replaced?.values.set(text, next);
            }
          }
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
    } else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      let renamed: Map<string, string> | undefined;
      for (const key of Object.keys(obj)) {
        const name = onKey?.(key);
        if (name !== undefined) {
          renamed ??= new Map();
          renamed.set(key, name);
        }
        const v = obj[key];
        if (v !== null && typeof v === 'object') stack.push(v);
        else {
          const text = textOf(v);
          if (text !== null) {
            let next = visitNow === undefined || (level < MAX_JSON_IN_TEXT && mayHoldJson(text)) ? DEFER : visitNow(text, key);
            if (next === DEFER) next = yield* judge(text, key);
            if (next !== undefined) {
              obj[key] = next;
              replaced?.values.set(text, next);
            }
          }
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
      if (renamed !== undefined) {
        renameKeys(obj, renamed);
        for (const [key, name] of renamed) replaced?.keys.set(key, name);
      }
    }
  }
  return root;
}

/** Renames an object's keys in place, in their order; a name taken already gets `#2`, `#3`… (`renamed` is updated to the names given). */
function renameKeys(obj: Record<string, unknown>, renamed: Map<string, string>): void {
  const entries = Object.entries(obj);
  const taken = new Set(entries.map(([key]) => key).filter((key) => !renamed.has(key)));
  for (const [key] of entries) delete obj[key];
  for (const [key, value] of entries) {
    let name = key;
    const wanted = renamed.get(key);
    if (wanted !== undefined) {
      name = wanted;
      for (let n = 2; taken.has(name); n++) name = `${wanted}#${n}`;
      taken.add(name);
      renamed.set(key, name);
    }
    // Defined, not assigned: a key `__proto__` (own, as JSON.parse makes it) stays a key.
    Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true });
  }
}

/** Whether a text may hold JSON (its first character opens an object or array, spaces aside): then `judge` looks. */
function mayHoldJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) return true;
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return false;
}

/** Walks the JSON a text holds; the text rewritten with what its visits replaced, or undefined when they replaced nothing. */
function* jsonTextSteps(text: string, inner: object, visits: Visits, level: number): Work<string | undefined> {
  const replaced: Replaced = { values: new Map(), keys: new Map() };
  yield* walkSteps(inner, visits, level + 1, replaced);
  return replaced.values.size > 0 || replaced.keys.size > 0 ? rewriteJsonText(text, replaced.values, replaced.keys) : undefined;
}

/** The text a leaf is read as: a string, or an integer long enough to be a card or phone number (one sent as a JSON number is still one); else null. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) >= 1_000_000) return String(v);
  return null;
}
