import type { VirtualTarget, WorkflowRef } from '../../core/index.js';

/**
 * The workflow a call of a virtual server runs: the one attached to this tool by name, else the
 * one attached to every call; null for none. Prompts and resources run only the latter.
 */
export function workflowFor(target: VirtualTarget, tool: string | null): WorkflowRef | null {
  if (target.workflows.length === 0) return null;
  const named = tool === null ? undefined : target.workflows.find((w) => w.tools?.includes(tool));
  const chosen = named ?? target.workflows.find((w) => w.tools === undefined);
  return chosen ? { id: chosen.workflowId, version: chosen.version ?? null } : null;
}
