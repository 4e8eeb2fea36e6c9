import type { paths } from '../../api/schema';

/** A held call as the admin API shows it (`GET /approvals/{id}`). */
export type Approval = paths['/approvals/{id}']['get']['responses'][200]['content']['application/json'];

/**
 * The call as it was made: `DELETE /payments/v1/accounts/1?force=yes`, or on a virtual MCP
 * server `tools/call refund on ledger`. Approvals opened before calls were bound show their target.
 */
export function concreteCall(a: Approval): string {
  if (a.mcp) return `${a.method ?? 'tools/call'} ${a.mcp.tool} on ${a.mcp.server}`;
  if (a.method === null || a.path === null) return a.target;
  return `${a.method} ${a.path}${a.query ?? ''}`;
}

/** The endpoint template an approval names beside the concrete path (`DELETE /payments/v1/accounts/{id}`), without its id. */
export function templateOf(target: string): string {
  return target.replace(/\s*\([^)]*\)$/, '');
}

/** One line of the body or arguments for the queue, cut short. */
export function callLine(call: string, max = 90): string {
  const line = call.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line || '(none)';
}

/** A size as people read it: `812 B`, `4.2 KB`, `1.0 MB`. */
export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The workflow id in `wf_…@3`, for a link to it. */
export function workflowIdOf(workflow: string): string {
  return workflow.split('@')[0] ?? workflow;
}
