import { expect } from 'vitest';
import { definitionFindings } from '../../src/gateway/federation/definition-guard.js';

/** The input schema a kind test's tool has unless it sets its own. */
const schema = { type: 'object' as const, properties: { query: { type: 'string', description: 'What to look up' } } };

/** The definition scan's findings for a tool named and described so (with `schema` unless given one). */
export const tool = (name: string, description: string, inputSchema: Record<string, unknown> = schema) =>
  definitionFindings({ name, description, inputSchema: inputSchema as typeof schema });

/**
 * The rules' reading alone, for a near twin of a poisoned definition that the rules tell apart and the learned
 * tier does not (it reads words, not who is asked to do what): those it holds for an admin (docs/known-limits.md).
 */
export const rulesTool = (name: string, description: string, inputSchema: Record<string, unknown> = schema) =>
  definitionFindings({ name, description, inputSchema: inputSchema as typeof schema }, { learned: false });

/** The rules behind findings, or none. */
export const rules = (found: ReturnType<typeof definitionFindings>) => found?.rules.map((r) => r.rule) ?? [];

/** An input schema with string fields of these names. */
export const withFields = (...names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, { type: 'string', description: 'A value' }])),
});

/** Expects the rules alone to hold each description with `rule` (each on a tool named `probe`). */
export function holdsEach(rule: string, descriptions: readonly string[]): void {
  for (const description of descriptions) expect(rules(rulesTool('probe', description)), description).toContain(rule);
}
