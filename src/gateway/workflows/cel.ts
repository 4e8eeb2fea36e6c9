import type * as Cel from '@marcbachmann/cel-js';
import type { Environment } from '@marcbachmann/cel-js';
import type { NodePhase } from '../../core/index.js';
import { BudgetSpent, budgetOf, type CallBudget, newCallBudget } from './budget.js';
import { armMeter, disarmMeter, meterExpression } from './cel-meter.js';
import { lazyLibrary } from './lazy-library.js';
import type { CallVariables } from './variables.js';

export const cel = lazyLibrary<typeof Cel>('@marcbachmann/cel-js');

/** A compiled CEL expression, evaluated against a call's variables. */
export type CelProgram = (vars: CallVariables) => unknown;

const LIMITS = { maxAstNodes: 2_000, maxDepth: 40, maxListElements: 500, maxMapEntries: 500, maxCallArguments: 16 };

/** Evaluation environments: variables as plain maps, the fast form (no per-call conversion). */
function evaluationEnv(phase: NodePhase): Environment {
  const env = new (cel().Environment)({ limits: LIMITS })
    .registerVariable('request', 'map')
    .registerVariable('caller', 'map')
    .registerVariable('claims', 'map')
    .registerVariable('ip', 'string')
    .registerVariable('time', 'map')
    .registerVariable('now', 'google.protobuf.Timestamp')
    .registerVariable('mcp', 'map');
  return phase === 'response' ? env.registerVariable('response', 'map') : env;
}

/** Checking environments: the same variables with their field types, so `request.method == 1` is a type error before it is saved. */
function checkingEnv(phase: NodePhase): Environment {
  const env = new (cel().Environment)({ limits: LIMITS })
    .registerVariable({
      name: 'request',
      schema: {
        id: 'string',
        method: 'string',
        path: 'string',
        params: 'map<string, string>',
        query: 'map<string, string>',
        headers: 'map<string, string>',
        body: 'dyn',
      },
    })
    .registerVariable({
      name: 'caller',
      schema: { client: { id: 'string', name: 'string' }, profile: { id: 'string', name: 'string', authType: 'string' }, claims: 'map<string, dyn>' },
    })
    .registerVariable('claims', 'map<string, dyn>')
    .registerVariable('ip', 'string')
    .registerVariable({ name: 'time', schema: { iso: 'string', unix: 'int' } })
    .registerVariable('now', 'google.protobuf.Timestamp')
    // A virtual server's workflow: the MCP call (its result on the response side); absent on REST calls.
    .registerVariable('mcp', 'map<string, dyn>');
  return phase === 'response' ? env.registerVariable({ name: 'response', schema: { status: 'int', headers: 'map<string, string>', body: 'dyn' } }) : env;
}

/** The environments, built with the library on the first expression compiled. */
let environments: { evaluate: Record<NodePhase, Environment>; check: Record<NodePhase, Environment>; constant: Environment } | undefined;
function envs(): NonNullable<typeof environments> {
  environments ??= {
    evaluate: { request: evaluationEnv('request'), response: evaluationEnv('response') },
    check: { request: checkingEnv('request'), response: checkingEnv('response') },
    constant: new (cel().Environment)({ limits: LIMITS }),
  };
  return environments;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}

/** A compiled boolean expression, or why it cannot be one. */
export type CelCompiled = { program: CelProgram; constant: boolean | null } | { problem: string };

/** Parses and type-checks a boolean expression once (per config snapshot); `constant` is its value when it reads no variable. */
export function compileCondition(expression: string, phase: NodePhase): CelCompiled {
  let checked: ReturnType<Environment['check']>;
  try {
    checked = envs().check[phase].check(expression);
  } catch (err) {
    return { problem: firstLine(err) };
  }
  if (!checked.valid) return { problem: firstLine(checked.error) };
  if (checked.type !== 'bool' && checked.type !== 'dyn') return { problem: `must be a boolean expression, not ${checked.type}` };
  let constant: boolean | null = null;
  const { constant: constantEnv, evaluate } = envs();
  if (constantEnv.check(expression).valid) {
    const parsedConstant = meteredParse(constantEnv, expression);
    if (!('problem' in parsedConstant)) {
      try {
        const value = evaluateWithin(newCallBudget(), () => parsedConstant());
        if (typeof value === 'boolean') constant = value;
      } catch {
        // Fails whatever the call (or costs more than a call may spend): left to run time, where it is reported against the node.
      }
    }
  }
  const parsed = meteredParse(evaluate[phase], expression);
  if ('problem' in parsed) return parsed;
  return { program: (vars) => evaluateWithin(budgetOf(vars), () => parsed(vars)), constant };
}

/**
 * A boolean expression over other variables (a tool policy's), checked in `check`, evaluated in
 * `evaluate` and metered like a condition: each evaluation spends from the budget it is given.
 */
export function compileMeteredRule<V>(
  expression: string,
  check: Environment,
  evaluate: Environment,
): { program: (vars: V, budget: CallBudget) => unknown } | { problem: string } {
  try {
    const checked = check.check(expression);
    if (!checked.valid) return { problem: firstLine(checked.error) };
    if (checked.type !== 'bool' && checked.type !== 'dyn') return { problem: `must be a boolean expression, not ${checked.type}` };
  } catch (err) {
    return { problem: firstLine(err) };
  }
  const parsed = meteredParse(evaluate, expression);
  if ('problem' in parsed) return parsed;
  return { program: (vars, budget) => evaluateWithin(budget, () => parsed(vars as unknown as Record<string, unknown>)) };
}

/** Parses, type-checks and meters an expression for evaluation. */
function meteredParse(env: Environment, expression: string): ReturnType<Environment['parse']> | { problem: string } {
  const parsed = env.parse(expression);
  const checked = parsed.check();
  if (!checked.valid) return { problem: firstLine(checked.error) };
  return meterExpression(parsed.ast as never) ?? parsed;
}

/** Runs one evaluation under what is left of the call's budget, and charges what it used. */
function evaluateWithin(budget: CallBudget, evaluate: () => unknown): unknown {
  const run = armMeter(budget);
  try {
    const value = evaluate();
    // CEL's `||` and `&&` absorb an operand's error; a spent budget fails the evaluation all the same.
    if (run.spent !== null) throw run.spent;
    return value;
  } catch (err) {
    throw run.spent ?? err;
  } finally {
    budget.celMs -= disarmMeter();
  }
}

/** Whether an evaluation failed because the call's budget ran out. */
export function isBudgetSpent(err: unknown): err is BudgetSpent {
  return err instanceof BudgetSpent;
}

/** The message of a CEL evaluation error, for the caller and the trace. */
export function celFailure(err: unknown): string {
  return firstLine(err);
}
