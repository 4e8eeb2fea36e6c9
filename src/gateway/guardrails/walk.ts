import { runNow, type Work } from './slicing.js';

/** Texts visited between two points where a walk may pause (each is a cheap look for most). */
const TEXTS_PER_STEP = 64;

/**
 * Walks a JSON value by value — strings (and integers long enough to be a card or phone number) —
 * without recursion, so a deeply nested body cannot exhaust the stack. `visit` sees each text
 * with the name of the field holding it (null in arrays and at the top); what it returns replaces
 * the value (undefined: unchanged). Keys are never rewritten, so the document keeps its shape.
 */
export function walkJson(root: unknown, visit: (text: string, field: string | null) => unknown): unknown {
  return runNow(
    // biome-ignore lint/correctness/useYield: a plain visit is one step: it never pauses.
    walkJsonSteps(root, function* (text, field) {
      return visit(text, field);
    }),
  );
}

/** walkJson as resumable work: `visit` is itself work (a long text is read in windows), and the walk pauses every few texts. */
export function* walkJsonSteps(root: unknown, visit: (text: string, field: string | null) => Work<unknown>): Work<unknown> {
  const top = yield* visitLeaf(root, null, visit);
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
          const next = yield* visitLeaf(v, null, visit);
          if (next !== undefined) node[i] = next;
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
    } else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const v = obj[key];
        if (v !== null && typeof v === 'object') stack.push(v);
        else {
          const next = yield* visitLeaf(v, key, visit);
          if (next !== undefined) obj[key] = next;
          if (++texts % TEXTS_PER_STEP === 0) yield;
        }
      }
    }
  }
  return root;
}

function* visitLeaf(v: unknown, field: string | null, visit: (text: string, field: string | null) => Work<unknown>): Work<unknown> {
  if (typeof v === 'string') return yield* visit(v, field);
  // A card or phone number sent as a JSON number is still one.
  if (typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) >= 1_000_000) return yield* visit(String(v), field);
  return undefined;
}
