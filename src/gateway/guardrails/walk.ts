import { jsonInText, rewriteJsonText } from './json-in-text.js';
import { runNow, type Work } from './slicing.js';

/** Texts visited between two points where a walk may pause (each is a cheap look for most). */
const TEXTS_PER_STEP = 64;

/** What a synchronous visit returns to hand a text to the resumable one instead (a long text, read in windows). */
export const DEFER: unique symbol = Symbol('defer');

/** A visit that judges a text at once: the replacement, undefined (unchanged), or DEFER. */
export type VisitNow = (text: string, field: string | null) => unknown;

/**
 * Walks a JSON value by value — strings (and integers long enough to be a card or phone number) —
 * without recursion, so a deeply nested body cannot exhaust the stack. `visit` sees each text
 * with the name of the field holding it (null in arrays and at the top); what it returns replaces
 * the value (undefined: unchanged). Keys are never rewritten, so the document keeps its shape; `onKey`
 * sees each key before its value.
 */
export function walkJson(root: unknown, visit: (text: string, field: string | null) => unknown, onKey?: (key: string) => void): unknown {
  // Every text goes to `visit` as the synchronous visit (no generator per text); it never DEFERs.
  return runNow(walkSteps(root, unreachable, visit, MAX_JSON_IN_TEXT, null, onKey));
}

// biome-ignore lint/correctness/useYield: never called (walkJson's visit judges every text at once).
function* unreachable(): Work<unknown> {
  throw new Error('walkJson: a synchronous visit deferred a text');
}

/**
 * walkJson as resumable work: `visit` is itself work (a long text is read in windows), and the walk
 * pauses every few texts. With `visitNow`, each text is first offered to it: most texts of a body are
 * short, and a plain call costs a fraction of a generator's (a JSON body of 60,000 short strings
 * spent more on generators than on detection); what it DEFERs goes to `visit`.
 * With `openJson`, a text holding a JSON object or array (json-in-text.ts: a structured tool result's text
 * twin) is walked as that value, and what the visits replace in it is written back into the text.
 */
export function walkJsonSteps(
  root: unknown,
  visit: (text: string, field: string | null) => Work<unknown>,
  visitNow?: VisitNow,
  openJson = false,
): Work<unknown> {
  return walkSteps(root, visit, visitNow, openJson ? 0 : MAX_JSON_IN_TEXT, null, undefined);
}

/** How deep JSON inside a text inside JSON is opened (each level is a shorter text than the one holding it); a walk that opens none starts at it. */
const MAX_JSON_IN_TEXT = 3;

function* walkSteps(
  root: unknown,
  visit: (text: string, field: string | null) => Work<unknown>,
  visitNow: VisitNow | undefined,
  level: number,
  replaced: Map<string, unknown> | null,
  onKey: ((key: string) => void) | undefined,
): Work<unknown> {
  // A leaf's replacement (undefined: unchanged): its JSON's, its visitNow's, else its visit's.
  const judge = function* (text: string, field: string | null): Work<unknown> {
    const inner = level < MAX_JSON_IN_TEXT ? jsonInText(text) : undefined;
    if (inner !== undefined) return yield* jsonTextSteps(text, inner, visit, visitNow, level);
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
              replaced?.set(text, next);
            }
          }
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
    } else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        onKey?.(key);
        const v = obj[key];
        if (v !== null && typeof v === 'object') stack.push(v);
        else {
          const text = textOf(v);
          if (text !== null) {
            let next = visitNow === undefined || (level < MAX_JSON_IN_TEXT && mayHoldJson(text)) ? DEFER : visitNow(text, key);
            if (next === DEFER) next = yield* judge(text, key);
            if (next !== undefined) {
              obj[key] = next;
              replaced?.set(text, next);
            }
          }
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
    }
  }
  return root;
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
function* jsonTextSteps(
  text: string,
  inner: object,
  visit: (text: string, field: string | null) => Work<unknown>,
  visitNow: VisitNow | undefined,
  level: number,
): Work<string | undefined> {
  // What the walk replaces, by the text it replaced: written back into this text.
  const replaced = new Map<string, unknown>();
  yield* walkSteps(inner, visit, visitNow, level + 1, replaced, undefined);
  return replaced.size > 0 ? rewriteJsonText(text, replaced) : undefined;
}

/** The text a leaf is read as: a string, or an integer long enough to be a card or phone number (one sent as a JSON number is still one); else null. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) >= 1_000_000) return String(v);
  return null;
}
