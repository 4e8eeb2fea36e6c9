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
 * the value (undefined: unchanged). Keys are never rewritten, so the document keeps its shape.
 */
export function walkJson(root: unknown, visit: (text: string, field: string | null) => unknown): unknown {
  // Every text goes to `visit` as the synchronous visit (no generator per text); it never DEFERs.
  return runNow(walkJsonSteps(root, unreachable, visit));
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
 */
export function* walkJsonSteps(root: unknown, visit: (text: string, field: string | null) => Work<unknown>, visitNow?: VisitNow): Work<unknown> {
  const leaf = function* (v: unknown, field: string | null): Work<unknown> {
    const text = textOf(v);
    if (text === null) return undefined;
    if (visitNow !== undefined) {
      const now = visitNow(text, field);
      if (now !== DEFER) return now;
    }
    return yield* visit(text, field);
  };
  const top = yield* leaf(root, null);
  if (top !== undefined) return top;
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
            let next = visitNow === undefined ? DEFER : visitNow(text, null);
            if (next === DEFER) next = yield* visit(text, null);
            if (next !== undefined) node[i] = next;
          }
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
    } else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const v = obj[key];
        if (v !== null && typeof v === 'object') stack.push(v);
        else {
          const text = textOf(v);
          if (text !== null) {
            let next = visitNow === undefined ? DEFER : visitNow(text, key);
            if (next === DEFER) next = yield* visit(text, key);
            if (next !== undefined) obj[key] = next;
          }
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
    }
  }
  return root;
}

/** The text a leaf is read as: a string, or an integer long enough to be a card or phone number (one sent as a JSON number is still one); else null. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) >= 1_000_000) return String(v);
  return null;
}
