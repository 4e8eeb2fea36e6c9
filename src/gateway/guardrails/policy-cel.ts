import type { Environment } from '@marcbachmann/cel-js';
import type { CallBudget } from '../workflows/budget.js';
import { cel, compileMeteredRule } from '../workflows/cel.js';

/** What a tool policy rule reads: the tool (for REST and execute_call, the endpoint), its arguments and the caller. */
export interface PolicyVariables {
  /**
   * `destructive`: the call may destroy something — a DELETE on REST; on a virtual server, a tool
   * whose annotations (as curated, else as the upstream defines it) do not say it is read-only or
   * non-destructive (MCP's defaults), or whose definition cannot be read.
   */
  tool: { name: string; endpoint: string; method: string; path: string; server: string; destructive: boolean };
  arguments: unknown;
  caller: {
    client: { id: string; name: string };
    profile: { id: string; name: string; authType: string };
    subject: string;
    groups: string[];
    claims: Record<string, unknown>;
  };
  claims: Record<string, unknown>;
}

const LIMITS = { maxAstNodes: 2_000, maxDepth: 40, maxListElements: 500, maxMapEntries: 500, maxCallArguments: 16 };

/** Built with the library on the first rule compiled. */
let environments: { check: Environment; evaluate: Environment } | undefined;
const envs = () => {
  environments ??= { check: checkingEnv(), evaluate: evaluationEnv() };
  return environments;
};

const checkingEnv = () =>
  new (cel().Environment)({ limits: LIMITS })
    .registerVariable({ name: 'tool', schema: { name: 'string', endpoint: 'string', method: 'string', path: 'string', server: 'string', destructive: 'bool' } })
    .registerVariable('arguments', 'dyn')
    .registerVariable({
      name: 'caller',
      schema: {
        client: { id: 'string', name: 'string' },
        profile: { id: 'string', name: 'string', authType: 'string' },
        subject: 'string',
        groups: 'list<string>',
        claims: 'map<string, dyn>',
      },
    })
    .registerVariable('claims', 'map<string, dyn>');

const evaluationEnv = () =>
  new (cel().Environment)({ limits: LIMITS })
    .registerVariable('tool', 'map')
    .registerVariable('arguments', 'dyn')
    .registerVariable('caller', 'map')
    .registerVariable('claims', 'map');

/** A rule's condition, parsed and type-checked once (per snapshot), evaluated under the call's workflow budget; or why it cannot be. */
export function compilePolicyRule(expression: string): { program: (vars: PolicyVariables, budget: CallBudget) => unknown } | { problem: string } {
  const { check, evaluate } = envs();
  return compileMeteredRule<PolicyVariables>(expression, check, evaluate);
}
