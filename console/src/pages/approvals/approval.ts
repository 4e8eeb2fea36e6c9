import type { paths } from '../../api/schema';

/** A held call as the admin API shows it (`GET /approvals/{id}`). */
export type Approval = paths['/approvals/{id}']['get']['responses'][200]['content']['application/json'];

/** The arguments preview pretty-printed where it is whole JSON; as sent where the 4 KiB cut left it partial. */
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
    const parsed = JSON.parse(preview) as { query?: unknown; body?: unknown };
    const shown = parsed.body !== undefined && parsed.body !== null && parsed.body !== '' ? parsed.body : parsed.query;
    line = typeof shown === 'string' ? shown : JSON.stringify(shown);
  } catch {
    // A preview the 4 KiB cut made partial: shown as it is.
  }
  return line.length > max ? `${line.slice(0, max)}…` : line || '(none)';
}

/** The workflow id in `wf_…@3`, for a link to it. */
export function workflowIdOf(workflow: string): string {
  return workflow.split('@')[0] ?? workflow;
}
