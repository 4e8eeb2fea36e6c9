import type { Server, ServerResponse } from 'node:http';

/** Responses under way on each listener, so a drain can ask them to close their connection. */
const open = new WeakMap<Server, Set<ServerResponse>>();
const draining = new WeakSet<Server>();

/**
 * Tracks a response until it finishes. Once the listener drains, every response it sends carries
 * `Connection: close`, so a keep-alive client finishes its call and reconnects (to another node, or
 * to this one while it still accepts) instead of reusing a socket that is about to go away.
 */
export function trackResponse(server: Server, res: ServerResponse): void {
  if (draining.has(server)) res.setHeader('connection', 'close');
  let set = open.get(server);
  if (!set) {
    set = new Set();
    open.set(server, set);
  }
  set.add(res);
  // 'close' follows every response, finished or cut: one listener on the hot path.
  res.once('close', () => set.delete(res));
}

/**
 * Starts a drain: calls in flight answer with `Connection: close` (those whose headers are already out
 * close their socket once finished), and idle keep-alive sockets close at once. The listener still accepts.
 */
export function beginDrain(server: Server): void {
  if (draining.has(server)) return;
  draining.add(server);
  for (const res of open.get(server) ?? []) {
    if (!res.headersSent) res.setHeader('connection', 'close');
    // Headers already sent without it: end the socket once this response is complete rather than keep it alive.
    else res.once('finish', () => res.socket?.end());
  }
  server.closeIdleConnections();
}

/** How many responses are still under way on a listener. */
export function openResponses(server: Server): number {
  return open.get(server)?.size ?? 0;
}
