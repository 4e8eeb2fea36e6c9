import { GatehouseError, WORKFLOW_MAX_DEPTH, WORKFLOW_MAX_NODES } from '../../core/index.js';

/**
 * What one call may spend on workflow expressions, across all its nodes and both phases. The
 * numbers keep the worst case of any workflow under a few tens of milliseconds of one core, so a
 * hostile definition or body fails its own call instead of stalling every other call.
 */
export const WORKFLOW_LIMITS = {
  /** CEL evaluation steps (one per expression node evaluated, comprehension iterations included; long strings and lists cost more). */
  celSteps: 100_000,
  /** CEL evaluation time, a backstop for steps that are individually expensive (the clock, so it is generous: a loaded machine is slower). */
  celMs: 100,
  /** Characters all `{{…}}` templates of a call may render (headers, paths, queries, mock bodies). */
  templateBytes: 1_048_576,
  /** JSONata running time, across all of a call's transforms (each also stops at its own timeoutMs). */
  jsonataMs: 1_000,
  /** How long JSONata runs before it lets other calls in (it resumes afterwards; timeoutMs counts only its own time). */
  jsonataSliceMs: 10,
  /** The longest string or list a JSONata step may produce, past the node's maxOutputBytes. */
  jsonataMaxItems: 1_000_000,
  /** How deep condition nodes nest (refused when the definition is parsed). */
  conditionDepth: WORKFLOW_MAX_DEPTH,
  /** Nodes in one workflow, branches included. */
  nodes: WORKFLOW_MAX_NODES,
} as const;

/** What is left of one call's budget. */
export interface CallBudget {
  celSteps: number;
  celMs: number;
  templateBytes: number;
  jsonataMs: number;
}

/** A fresh budget for one call. */
export function newCallBudget(): CallBudget {
  return {
    celSteps: WORKFLOW_LIMITS.celSteps,
    celMs: WORKFLOW_LIMITS.celMs,
    templateBytes: WORKFLOW_LIMITS.templateBytes,
    jsonataMs: WORKFLOW_LIMITS.jsonataMs,
  };
}

/** Where a call's budget rides on its variables: a symbol, so neither CEL nor templates can read it. */
export const BUDGET: unique symbol = Symbol('gatehouse.workflowBudget');

/** The budget a call's variables carry (variables made without one are given one, kept for the rest of the call). */
export function budgetOf(vars: { [BUDGET]?: CallBudget }): CallBudget {
  vars[BUDGET] ??= newCallBudget();
  return vars[BUDGET];
}

/** The error a call gets when its workflow needs more than the budget allows. */
export function budgetExceeded(nodeId: string, what: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', `Workflow node ${nodeId}: ${what}`, { node: nodeId });
}

/** Thrown inside an evaluation when the budget runs out; the node turns it into budgetExceeded with its id. */
export class BudgetSpent extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'BudgetSpent';
  }
}
