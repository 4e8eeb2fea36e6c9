import { describe, expect, it } from 'vitest';
import { newCallBudget } from '../workflows/budget.js';
import { isBudgetSpent } from '../workflows/cel.js';
import { compilePolicyRule, type PolicyVariables } from './policy-cel.js';

const vars = (args: unknown): PolicyVariables => ({
  tool: { name: 'POST /items', endpoint: 'ep_1', method: 'POST', path: '/items', server: '', destructive: false },
  arguments: args,
  caller: { client: { id: 'cli_1', name: 'c' }, profile: { id: 'prf_1', name: 'p', authType: 'token' }, subject: 's', groups: ['oncall'], claims: {} },
  claims: {},
});

function compiled(expression: string) {
  const rule = compilePolicyRule(expression);
  if ('problem' in rule) throw new Error(rule.problem);
  return rule.program;
}

describe('tool policy rules', () => {
  it('decide on the tool, the arguments and the caller', () => {
    const rule = compiled('tool.method == "POST" && arguments.qty > 10 && !("oncall" in caller.groups)');
    expect(rule(vars({ qty: 40 }), newCallBudget())).toBe(false);
    expect(compiled('tool.method == "POST" && arguments.qty > 10')(vars({ qty: 40 }), newCallBudget())).toBe(true);
  });

  it('read whether the call is destructive as a boolean', () => {
    expect(compiled('tool.destructive')({ ...vars({}), tool: { ...vars({}).tool, destructive: true } }, newCallBudget())).toBe(true);
    expect(compiled('tool.destructive')(vars({}), newCallBudget())).toBe(false);
    expect(compilePolicyRule('tool.destructive == "yes"')).toHaveProperty('problem');
  });

  it('are refused when they are not boolean or do not type-check', () => {
    expect(compilePolicyRule('tool.name')).toEqual({ problem: expect.stringContaining('boolean') });
    expect(compilePolicyRule('tool.method == 1')).toHaveProperty('problem');
  });

  it('run under the call budget: a rule over a caller-sized argument list stops, fast, instead of holding the event loop', () => {
    const rule = compiled('arguments.exists(a, arguments.exists(b, arguments.exists(c, a + b + c < 0)))');
    const big = Array.from({ length: 1_000 }, (_, i) => i);
    let error: unknown;
    try {
      rule(vars(big), newCallBudget());
    } catch (err) {
      error = err;
    }
    expect(isBudgetSpent(error)).toBe(true);
    // Unbudgeted, the rule walks 10^9 combinations (minutes): the budget's refusal is what ends it.
  });
});
