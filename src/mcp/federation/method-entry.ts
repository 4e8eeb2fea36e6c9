/**
 * Whether a request to a virtual server gets a request-log entry of its own (capability volume):
 * every request but a tool call (logged per upstream call by the pipeline) and notifications (no answer, no volume).
 */
export function loggedApart(method: unknown): method is string {
  return typeof method === 'string' && method !== 'tools/call' && !method.startsWith('notifications/');
}
