import type * as Guard from './definition-guard.js';

/** The tool-definition scan: findings for a tool, a prompt or a resource as a model would be shown it. */
export type DefinitionScan = Pick<typeof Guard, 'definitionFindings' | 'promptFindings' | 'resourceFindings'>;

let loading: Promise<DefinitionScan> | undefined;

/**
 * The scan, imported with its first use (a virtual server's or REST tool's pins, a curated prompt or
 * resource list) rather than at start: it brings the prompt-injection engine (~0.3 s, ~15 MB), which
 * a node that fronts no MCP server never needs. Later calls share the one import.
 */
export function loadDefinitionScan(): Promise<DefinitionScan> {
  loading ??= import('./definition-guard.js');
  return loading;
}
