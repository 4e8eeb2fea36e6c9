import { Environment } from '@marcbachmann/cel-js';

/** What a tool policy rule reads: the tool (for REST and execute_call, the endpoint), its arguments and the caller. */
export interface PolicyVariables {
  tool: { name: string; endpoint: string; method: string; path: string; server: string };
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

const CHECK = new Environment({ limits: LIMITS })
  .registerVariable({ name: 'tool', schema: { name: 'string', endpoint: 'string', method: 'string', path: 'string', server: 'string' } })
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

const EVALUATE = new Environment({ limits: LIMITS })
  .registerVariable('tool', 'map')
  .registerVariable('arguments', 'dyn')
  .registerVariable('caller', 'map')
  .registerVariable('claims', 'map');

/** A rule's condition, parsed and type-checked once (per snapshot), or why it cannot be. */
export function compilePolicyRule(expression: string): { program: (vars: PolicyVariables) => unknown } | { problem: string } {
  try {
    const checked = CHECK.check(expression);
    if (!checked.valid) return { problem: firstLine(checked.error) };
    if (checked.type !== 'bool' && checked.type !== 'dyn') return { problem: `must be a boolean expression, not ${checked.type}` };
  } catch (err) {
    return { problem: firstLine(err) };
  }
  const parsed = EVALUATE.parse(expression);
  return { program: (vars) => parsed(vars as unknown as Record<string, unknown>) };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}
