import type { RE2JS } from 're2js';
import { BudgetSpent, type CallBudget } from './budget.js';
import { compileRegex } from './regex.js';

// cel-js has structural limits at parse time but no cost limit at run time, so the gateway meters
// the checked syntax tree itself: every node evaluation costs a step, a comprehension is charged
// its whole range before it starts, strings and lists cost by their size, and `matches` runs on
// RE2 instead of JavaScript's backtracking RegExp. Evaluation is synchronous (no async functions
// are registered), so one module-level meter serves the evaluation in progress.

/** The parts of a cel-js syntax tree node the meter uses (cel-js 8: `meta`, `setMeta`, `args`, `op`, and the `handle` its type check leaves). */
interface CelNode {
  op: string;
  args: unknown;
  readonly meta: { evaluate?: Evaluate; alternate?: CelNode; macro?: Record<string, unknown> };
  setMeta(key: 'evaluate', value: Evaluate): CelNode;
  receiverWithArgs?: CelNode[];
  handle?: (...args: unknown[]) => unknown;
}
type Evaluate = (this: CelNode, ev: Evaluator, ast: CelNode, ctx: unknown) => unknown;
interface Evaluator {
  run(ast: CelNode, ctx: unknown): unknown;
}

/** One evaluation's state: what it has spent, and the error once it ran out. */
export interface MeterRun {
  spent: BudgetSpent | null;
}

let budget: CallBudget | null = null;
let startedAt = 0;
let deadline = 0;
let ticks = 0;
let run: MeterRun = { spent: null };

/** Starts metering an evaluation against a call's budget. */
export function armMeter(callBudget: CallBudget): MeterRun {
  budget = callBudget;
  startedAt = 0;
  ticks = 0;
  run = { spent: null };
  return run;
}

/** Ends the evaluation in progress; returns how long it ran (0 when too short to have read the clock). */
export function disarmMeter(): number {
  budget = null;
  return startedAt === 0 ? 0 : performance.now() - startedAt;
}

function spend(steps: number): void {
  if (budget === null) return;
  if (run.spent !== null) throw run.spent;
  budget.celSteps -= steps;
  // The clock is read every few steps (not at all for a short expression): a backstop for steps
  // that are each expensive.
  if ((++ticks & 7) === 0) {
    const now = performance.now();
    if (startedAt === 0) {
      startedAt = now;
      deadline = now + budget.celMs;
    } else if (now > deadline) exhausted(`its expressions ran longer than the call's CEL time budget`);
  }
  if (budget.celSteps < 0) exhausted(`its expressions needed more than the call's CEL step budget`);
}

function exhausted(what: string): never {
  run.spent = new BudgetSpent(what);
  throw run.spent;
}

/** What a value costs to produce or scan: strings by 256 characters, lists and maps by element. */
function sizeCost(value: unknown): number {
  if (typeof value === 'string') return value.length >>> 8;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  if (value instanceof Uint8Array) return value.length >>> 8;
  return 0;
}

const SIZED_OPERATORS = new Set(['in', '==', '!=', '+']);
const METERED_BY_HANDLE = new Set(['call', 'rcall', 'comprehension', ...SIZED_OPERATORS]);

function rangeSize(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

function isNode(value: unknown): value is CelNode {
  return value !== null && typeof value === 'object' && typeof (value as CelNode).setMeta === 'function' && 'op' in value;
}

/** Every node of a tree, macro expansions included. */
function nodesOf(root: CelNode): CelNode[] {
  const seen = new Set<CelNode>();
  const out: CelNode[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      stack.push(...item);
    } else if (isNode(item)) {
      if (seen.has(item)) continue;
      seen.add(item);
      out.push(item);
      const { alternate, macro } = item.meta;
      if (alternate) stack.push(alternate);
      if (macro) stack.push(...Object.values(macro));
      stack.push(item.args);
    } else if (item !== null && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      // A comprehension's arguments: iterable, init, step (and contexts, which hold no nodes).
      for (const v of Object.values(item)) if (isNode(v) || Array.isArray(v)) stack.push(v);
    }
  }
  return out;
}

function evaluateAll(ev: Evaluator, nodes: readonly CelNode[], ctx: unknown): unknown[] {
  const values = new Array<unknown>(nodes.length);
  for (let i = 0; i < nodes.length; i++) values[i] = ev.run(nodes[i]!, ctx);
  return values;
}

function matcher(node: CelNode, re: RE2JS): Evaluate {
  const receiver = (node.args as [string, CelNode, CelNode[]])[1];
  return (ev, _ast, ctx) => {
    spend(1);
    const input = ev.run(receiver, ctx);
    if (typeof input !== 'string') throw new TypeError(`matches() needs a string, got ${typeof input}`);
    // RE2 is linear in the input: charge it before scanning (about a step per character).
    spend(input.length);
    return re.test(input);
  };
}

/**
 * Puts a compiled expression under the meter (once, when the workflow is compiled). Refuses what
 * cannot be bounded: a `matches` pattern that is not a string literal, or one RE2 does not accept.
 */
export function meterExpression(root: CelNode): { problem: string } | null {
  for (const node of nodesOf(root)) {
    // The meter rests on cel-js 8's checked tree; a release that changes it must fail loudly, never run unmetered.
    if (
      typeof node.setMeta !== 'function' ||
      (METERED_BY_HANDLE.has(node.op) && node.meta.alternate === undefined && node.meta.macro === undefined && typeof node.handle !== 'function')
    )
      throw new Error(`cel-js's syntax tree is not the one the workflow meter knows (node ${node.op}); pin @marcbachmann/cel-js 8`);
    const { alternate, macro, evaluate } = node.meta;
    if (macro) {
      const inner = macro['evaluate'] as (...a: unknown[]) => unknown;
      macro['evaluate'] = function (this: unknown, ...a: unknown[]) {
        spend(1);
        return inner.apply(this, a);
      };
      continue;
    }
    if (alternate || evaluate === undefined) continue;
    if (node.op === 'rcall' && (node.args as unknown[])[0] === 'matches') {
      const pattern = ((node.args as unknown[])[2] as CelNode[])[0]!;
      if (pattern.op !== 'value' || typeof pattern.args !== 'string')
        return { problem: 'matches() takes a string literal as its pattern (a pattern built from the call could cost anything)' };
      const re = compileRegex(pattern.args);
      if ('problem' in re) return { problem: re.problem };
      node.setMeta('evaluate', matcher(node, re));
      continue;
    }
    if (node.op === 'rcall' || node.op === 'call') {
      const handle = node.handle!;
      const rcall = node.op === 'rcall';
      const operands = rcall ? node.receiverWithArgs! : (node.args as [string, CelNode[]])[1];
      node.setMeta('evaluate', (ev, ast, ctx) => {
        spend(1);
        const values = evaluateAll(ev, operands, ctx);
        let cost = 0;
        for (const v of values) cost += sizeCost(v);
        // join and split make outputs as large as their inputs: charged before they run.
        if (rcall && (node.args as unknown[])[0] === 'join' && Array.isArray(values[0])) cost += (values[0].length * String(values[1] ?? '').length) >>> 8;
        if (rcall && (node.args as unknown[])[0] === 'split' && typeof values[0] === 'string') cost += values[0].length;
        spend(cost);
        const result = rcall ? handle(values, ev, ast) : handle(values, ast, ev);
        spend(sizeCost(result));
        return result;
      });
      continue;
    }
    if (node.op === 'comprehension') {
      const args = node.args as { iterable: CelNode };
      const handle = node.handle!;
      node.setMeta('evaluate', (ev, _ast, ctx) => {
        spend(1);
        const items = ev.run(args.iterable, ctx);
        // Charged for the whole range before the first iteration, so no loop starts that the budget cannot finish.
        spend(rangeSize(items));
        return handle(items, args, ev, ctx);
      });
      continue;
    }
    if (SIZED_OPERATORS.has(node.op) && evaluate.name === 'evaluateBinary') {
      const [left, right] = node.args as [CelNode, CelNode];
      const handle = node.handle!;
      // Membership and equality scan their operands, `+` copies them: charged by their size.
      node.setMeta('evaluate', (ev, ast, ctx) => {
        spend(1);
        const l = ev.run(left, ctx);
        const r = ev.run(right, ctx);
        spend(sizeCost(l) + sizeCost(r));
        return handle(l, r, ast, ev);
      });
      continue;
    }
    node.setMeta('evaluate', function (ev, ast, ctx) {
      spend(1);
      return evaluate.call(this, ev, ast, ctx);
    });
  }
  return null;
}
