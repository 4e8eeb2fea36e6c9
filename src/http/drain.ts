import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const CURRENT = Symbol('gatehouse.currentResponse');

type TrackedSocket = Socket & { [CURRENT]?: ServerResponse };

/** A listener's connections, each holding the response it is serving now, and whether the listener drains. */
interface Tracking {
  sockets: Set<TrackedSocket>;
  draining: boolean;
}

const listeners = new WeakMap<Server, Tracking>();

function trackingOf(server: Server): Tracking {
  let t = listeners.get(server);
  if (!t) {
    t = { sockets: new Set(), draining: false };
    listeners.set(server, t);
  }
  return t;
}

function underWay(res: ServerResponse | undefined): res is ServerResponse {
  return res !== undefined && !res.writableFinished && !res.destroyed;
}

/**
 * The listener's response tracker: tracks each response until it finishes. Once the listener
 * drains, every response it sends carries `Connection: close`, so a keep-alive client finishes its
 * call and reconnects (to another node, or to this one while it still accepts) instead of reusing a
 * socket that is about to go away. The bookkeeping is per connection (a listener on its first
 * request, the current response in a slot on the socket), so a call on a kept-alive connection adds
 * no listener and no closure.
 */
export function responseTracker(server: Server): (req: IncomingMessage, res: ServerResponse) => void {
  const t = trackingOf(server);
  return (req, res) => {
    if (t.draining) res.setHeader('connection', 'close');
    // The request's socket, not the response's: a pipelined response has none until the one before it is done.
    const socket = req.socket as TrackedSocket;
    if (socket[CURRENT] === undefined) {
      t.sockets.add(socket);
      socket.once('close', () => t.sockets.delete(socket));
    }
    socket[CURRENT] = res;
  };
}

/**
 * Starts a drain: calls in flight answer with `Connection: close` (those whose headers are already out
 * close their socket once finished), and idle keep-alive sockets close at once. The listener still accepts.
 */
export function beginDrain(server: Server): void {
  const t = trackingOf(server);
  if (t.draining) return;
  t.draining = true;
  for (const socket of t.sockets) {
    const res = socket[CURRENT];
    if (!underWay(res)) continue;
    if (!res.headersSent) res.setHeader('connection', 'close');
    // Headers already sent without it: end the socket once this response is complete rather than keep it alive.
    else res.once('finish', () => res.socket?.end());
  }
  server.closeIdleConnections();
}

/** How many responses are still under way on a listener. */
export function openResponses(server: Server): number {
  let n = 0;
  for (const socket of listeners.get(server)?.sockets ?? []) if (underWay(socket[CURRENT])) n++;
  return n;
}
