// Logged by the pipeline entry, once per upstream call.
const THROUGH_PIPELINE = new Set(['tools/call', 'prompts/get', 'resources/read']);

/**
 * Whether a request to a virtual server gets a request-log entry of its own (capability volume):
 * every request but those the pipeline entry logs and notifications (no answer, no volume).
 */
export function loggedApart(method: unknown): method is string {
  return typeof method === 'string' && !THROUGH_PIPELINE.has(method) && !method.startsWith('notifications/');
}
