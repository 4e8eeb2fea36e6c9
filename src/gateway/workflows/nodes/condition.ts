import { type ConditionNodeValue, GatehouseError } from '../../../core/index.js';
import { celFailure, compileCondition, isBudgetSpent } from '../cel.js';
import { runNodes } from '../run.js';
import type { NodeCompiler } from '../step.js';

/** Runs `then` or `else` by a CEL expression, parsed and type-checked once. */
export const compileConditionNode: NodeCompiler<ConditionNodeValue> = (node, env) => {
  const compiled = compileCondition(node.expression, env.phase);
  const then = env.branch(node.then, 'then');
  const otherwise = env.branch(node.else, 'else');
  if ('problem' in compiled) {
    env.problem('expression', compiled.problem);
    return () => {};
  }
  if (compiled.constant === true && otherwise.length > 0) env.problem('else', 'unreachable: the expression is always true');
  if (compiled.constant === false && then.length > 0) env.problem('then', 'unreachable: the expression is always false');
  const program = compiled.program;
  return (x) => {
    let value: unknown;
    try {
      value = program(x.vars());
    } catch (err) {
      if (isBudgetSpent(err)) throw err;
      throw new GatehouseError('GATEHOUSE_WORKFLOW_CONDITION_FAILED', `Workflow node ${node.id}: ${celFailure(err)}`, { node: node.id });
    }
    if (typeof value !== 'boolean')
      throw new GatehouseError('GATEHOUSE_WORKFLOW_CONDITION_FAILED', `Workflow node ${node.id}: the expression gave ${typeof value}, not a boolean.`, {
        node: node.id,
      });
    x.note(`${node.id}:${value ? 'then' : 'else'}`);
    return runNodes(value ? then : otherwise, x);
  };
};
