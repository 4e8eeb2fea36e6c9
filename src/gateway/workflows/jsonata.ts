import type jsonata from 'jsonata';
import { BudgetSpent, type CallBudget, WORKFLOW_LIMITS } from './budget.js';
import { lazyLibrary } from './lazy-library.js';
import { compileJsRegex, Re2RegExp } from './regex.js';

/** Loaded with the first transform compiled. */
const jsonataLib = lazyLibrary<typeof jsonata>('jsonata');

// JSONata's own `timeout` is checked only between evaluation steps, and its evaluation never lets
// other calls in (every await resolves in the same tick), so a transform is run here under hooks it
// offers: each step checks the node's time budget (its own running time, not time spent waiting),
// and every slice of a few milliseconds it yields to the event loop. Steps that are one builtin call
// are bounded by guarding the builtins whose cost is not linear in their input: regexes run on RE2,
// and $pad, $join, $replace, $distinct and $sort check the size of what they would produce first.

/** How one transform node is bounded. */
export interface JsonataLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

/** A compiled transform that runs within its limits and what is left of the call's; throws BudgetSpent past them. */
export interface BoundedJsonata {
  evaluate(input: unknown, bindings: Record<string, unknown>, budget: CallBudget): Promise<unknown>;
}

// JSONata's deepest evaluation stack and longest sequence.
const MAX_STACK = 500;
const MAX_SEQUENCE = 100_000;
const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');

/** One evaluation's meter. */
interface Meter {
  /** The running time it may take: the node's timeoutMs, or what is left of the call's, if less. */
  limitMs: number;
  /** Running time before the current slice. */
  active: number;
  sliceStart: number;
  /** Characters and items the steps have produced so far. */
  produced: number;
  /** Why it ran out, once it has: kept here because `$eval` turns the error it sees into its own. */
  spent: BudgetSpent | null;
}

/** What JSONata hands hooks (the evaluation's frame) and native functions (`this`: the focus). */
type Frame = { base: object };
type Focus = jsonata.Focus;

/** The frame of a native function's call. */
function frameOf(focus: Focus): Frame {
  return focus.environment as unknown as Frame;
}

// The meter of the evaluation being started: JSONata calls the entry hook before its first await,
// so the hook picks it up for that evaluation's environment.
let starting: Meter | null = null;

type Builtin = { implementation: (...args: unknown[]) => unknown; signature?: unknown };

type Builtins = Record<'pad' | 'join' | 'replace' | 'distinct' | 'sort', Builtin>;

// The builtins the guards wrap, taken from JSONata itself before the first transform runs (every
// evaluation awaits them first, so a guard always finds them).
let BUILTINS: Builtins | null = null;
let builtinsTaken: Promise<void> | null = null;

function takeBuiltins(): Promise<void> {
  builtinsTaken ??= (async () => {
    BUILTINS = {
      pad: await builtin('$pad'),
      join: await builtin('$join'),
      replace: await builtin('$replace'),
      distinct: await builtin('$distinct'),
      sort: await builtin('$sort'),
    };
  })();
  return builtinsTaken;
}

async function builtin(name: string): Promise<Builtin> {
  return (await jsonataLib()(name).evaluate({})) as Builtin;
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return 0;
}

/** The regex literals of an expression that RE2 does not accept, as problems. */
function regexProblems(node: unknown, out: string[]): string[] {
  if (Array.isArray(node)) for (const n of node) regexProblems(n, out);
  else if (node !== null && typeof node === 'object') {
    const n = node as { type?: string; value?: unknown };
    if (n.type === 'regex' && n.value instanceof RegExp) {
      const compiled = compileJsRegex(n.value);
      if ('problem' in compiled) out.push(compiled.problem);
    }
    for (const v of Object.values(node)) if (v !== null && typeof v === 'object' && !(v instanceof RegExp)) regexProblems(v, out);
  }
  return out;
}

/** How many times a pattern (a string or a JSONata regex closure) matches, counting no further than `stop`. */
async function countMatches(str: string, pattern: unknown, stop: number): Promise<number> {
  let count = 0;
  if (typeof pattern === 'string') {
    if (pattern === '') return stop;
    for (let at = str.indexOf(pattern); at !== -1 && count < stop; at = str.indexOf(pattern, at + pattern.length)) count++;
    return count;
  }
  type Match = { next(): Match | undefined } | undefined;
  for (let m = (await (pattern as (s: string) => Match)(str)) as Match; m !== undefined && count < stop; m = m.next()) count++;
  return count;
}

/** Compiles a JSONata expression bounded by the node's limits, or says why it cannot. */
export function compileJsonata(expression: string, limits: JsonataLimits): BoundedJsonata | { problem: string } {
  let parsed: ReturnType<typeof jsonata>;
  try {
    parsed = jsonataLib()(expression, { stack: MAX_STACK, sequence: MAX_SEQUENCE, RegexEngine: Re2RegExp as unknown as RegExpConstructor });
  } catch (err) {
    const e = err as { message?: string; position?: number };
    return { problem: `${e.message ?? 'invalid JSONata'}${e.position !== undefined ? ` (at ${e.position})` : ''}` };
  }
  const problems = regexProblems(parsed.ast(), []);
  if (problems.length > 0) return { problem: problems[0]! };

  const maxChars = limits.maxOutputBytes;
  const maxItems = Math.max(WORKFLOW_LIMITS.jsonataMaxItems, maxChars);
  // All steps together may produce a few times the output limit (intermediate values included).
  const maxProduced = Math.max(16 * 1_048_576, 4 * maxChars);
  const meters = new WeakMap<object, Meter>();
  const fail = (frame: Frame, what: string): never => {
    const spent = new BudgetSpent(what);
    const m = meters.get(frame.base);
    if (m !== undefined) m.spent ??= spent;
    throw spent;
  };
  const tooLarge = (frame: Frame, what: string, limit: number): never => fail(frame, `${what} would be larger than the transform's limit of ${limit}`);

  parsed.assign(ENTRY as unknown as string, async (_expr: unknown, _input: unknown, env: Frame) => {
    let m = meters.get(env.base);
    const now = performance.now();
    if (m === undefined) {
      m = starting ?? { limitMs: limits.timeoutMs, active: 0, sliceStart: now, produced: 0, spent: null };
      meters.set(env.base, m);
    }
    const slice = now - m.sliceStart;
    if (m.active + slice > m.limitMs)
      fail(
        env,
        m.limitMs < limits.timeoutMs
          ? `the call's transforms took longer than ${WORKFLOW_LIMITS.jsonataMs} ms in all`
          : `the transform took longer than ${limits.timeoutMs} ms`,
      );
    if (slice > WORKFLOW_LIMITS.jsonataSliceMs) {
      m.active += slice;
      await new Promise((resolve) => setImmediate(resolve));
      m.sliceStart = performance.now();
    }
  });
  parsed.assign(EXIT as unknown as string, (_expr: unknown, _input: unknown, env: Frame, result: unknown) => {
    const size = sizeOf(result);
    if (size === 0) return;
    if (typeof result === 'string' ? size > maxChars : size > maxItems) tooLarge(env, 'a step’s result', typeof result === 'string' ? maxChars : maxItems);
    const m = meters.get(env.base);
    if (m === undefined) return;
    m.produced += size;
    if (m.produced > maxProduced) fail(env, `the transform produced more than ${maxProduced} characters and items in all`);
  });
  parsed.registerFunction(
    'pad',
    function (this: Focus, str: unknown, width: unknown, char: unknown) {
      if (Math.abs(Number(width)) > maxChars) tooLarge(frameOf(this), '$pad’s result', maxChars);
      return BUILTINS!.pad.implementation.call(this, str, width, char);
    },
    '<s-ns?:s>',
  );
  parsed.registerFunction(
    'join',
    function (this: Focus, strs: unknown, separator: unknown) {
      if (Array.isArray(strs)) {
        let total = String(separator ?? '').length * Math.max(0, strs.length - 1);
        for (const s of strs) total += sizeOf(s);
        if (total > maxChars) tooLarge(frameOf(this), '$join’s result', maxChars);
      }
      return BUILTINS!.join.implementation.call(this, strs, separator);
    },
    '<a<s>s?:s>',
  );
  parsed.registerFunction(
    'replace',
    async function (this: Focus, str: unknown, pattern: unknown, replacement: unknown, limit: unknown) {
      if (typeof str === 'string' && typeof replacement === 'string' && str.length + (str.length + 1) * replacement.length > maxChars) {
        const stop = typeof limit === 'number' ? limit : str.length + 1;
        const count = await countMatches(str, pattern, stop);
        if (str.length + count * replacement.length > maxChars) tooLarge(frameOf(this), '$replace’s result', maxChars);
      }
      return BUILTINS!.replace.implementation.call(this, str, pattern, replacement, limit);
    },
    '<s-(sf)(sf)n?:s>',
  );
  parsed.registerFunction(
    'distinct',
    function (this: unknown, arr: unknown) {
      // The builtin compares every pair; large inputs are told apart by their JSON instead.
      if (!Array.isArray(arr) || arr.length <= 1_000) return BUILTINS!.distinct.implementation.call(this, arr);
      const seen = new Set<string>();
      return arr.filter((v) => {
        const key = JSON.stringify(v) ?? 'undefined';
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
    '<x:x>',
  );
  parsed.registerFunction(
    'sort',
    function (this: Focus, arr: unknown, comparator: unknown) {
      // Sorting awaits every comparison without a step in between: kept to lists the time budget can sort.
      if (Array.isArray(arr) && arr.length > MAX_SEQUENCE) fail(frameOf(this), `$sort takes at most ${MAX_SEQUENCE} items, not ${arr.length}`);
      return BUILTINS!.sort.implementation.call(this, arr, comparator);
    },
    '<af?:a>',
  );
  return {
    async evaluate(input, bindings, budget) {
      if (BUILTINS === null) await takeBuiltins();
      const meter: Meter = { limitMs: Math.min(limits.timeoutMs, budget.jsonataMs), active: 0, sliceStart: performance.now(), produced: 0, spent: null };
      starting = meter;
      const pending = parsed.evaluate(input, bindings);
      starting = null;
      try {
        return await pending;
      } catch (err) {
        throw meter.spent ?? err;
      } finally {
        budget.jsonataMs -= meter.active + (performance.now() - meter.sliceStart);
      }
    },
  };
}
