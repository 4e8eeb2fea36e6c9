import type { CompiledWorkflow } from './compile.js';

/** What a workflow demands of a call, as the Gateway MCP's inspect_contract tells a model. */
export interface WorkflowSummary {
  workflow: string;
  /** Parameters and JSON body are checked against the contract before the upstream is called (400 naming the field). */
  validatesRequest: boolean;
  /** JWT scopes, claim values and roles a caller must hold (403 naming what is missing). */
  requires: Array<{ scopes: string[]; claims: Record<string, string>; anyRole: string[] }>;
  /** The largest body the workflow buffers, when it reads bodies. */
  bodyLimitBytes: number | null;
}

/** The summary of a compiled workflow, or null for none. */
export function summarize(workflow: CompiledWorkflow | null): WorkflowSummary | null {
  if (workflow === null) return null;
  return {
    workflow: workflow.label,
    validatesRequest: workflow.validatesRequest,
    requires: workflow.requiredClaims.map((c) => ({ scopes: c.scopes, claims: c.claims, anyRole: c.anyRole })),
    bodyLimitBytes: workflow.requestBody || workflow.responseBody ? workflow.bodyLimitBytes : null,
  };
}
