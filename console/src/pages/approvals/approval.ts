import type { paths } from '../../api/schema';

/** A held call as the admin API shows it (`GET /approvals/{id}`). */
export type Approval = paths['/approvals/{id}']['get']['responses'][200]['content']['application/json'];

/** The arguments preview pretty-printed where it is whole JSON; as stored where a cut (past 1 MiB, said at its end) left it partial. */
export function prettyArguments(preview: string): string {
  try {
    return JSON.stringify(JSON.parse(preview), null, 2);
  } catch {
    return preview;
  }
}

/** One line of the arguments for the queue: the body (or query) only, cut short. */
export function argumentsLine(preview: string, max = 90): string {
  let line = preview;
  try {
    const parsed = JSON.parse(preview) as unknown;
    // A REST call's preview is { query, body }; an MCP call's is the tool's arguments themselves.
    const rest = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).join() === 'query,body';
    const { query, body } = rest ? (parsed as { query?: unknown; body?: unknown }) : { query: undefined, body: parsed };
    const shown = body !== undefined && body !== null && body !== '' ? body : query;
    line = typeof shown === 'string' ? shown : JSON.stringify(shown);
  } catch {
    // A preview cut past 1 MiB: shown as it is.
  }
  return line.length > max ? `${line.slice(0, max)}…` : line || '(none)';
}

/** The workflow id in `wf_…@3`, for a link to it. */
export function workflowIdOf(workflow: string): string {
  return workflow.split('@')[0] ?? workflow;
}

/** How much of a held call's arguments the page renders at once; the whole stored call is a download away. */
export const SHOWN_CHARS = 200_000;
