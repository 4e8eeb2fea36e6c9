import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const CURRENT = Symbol('gatehouse.currentResponse');
const STARTED = Symbol('gatehouse.lastRequestAt');

type TrackedSocket = Socket & { [CURRENT]?: ServerResponse; [STARTED]?: number };

/**
 * How long a kept-alive connection must have carried no request before a draining listener closes it.
 * Closing an idle connection races the client's next request (already sent, unread in the kernel's
 * buffer: the close then resets it); a busy connection is instead closed by `Connection: close` on
 * its next response, so only connections quiet this long are closed by the server.
 */
export const QUIET_MS = 1_000;

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
    if (t.draining) socket[STARTED] = performance.now();
  };
}

/**
 * Starts a drain: calls in flight answer with `Connection: close` (those whose headers are already out
 * close their socket once finished), and so does every later call on a kept-alive connection. Idle
 * connections are not closed here: see closeQuietSockets. The listener still accepts.
 */
export function beginDrain(server: Server): void {
  const t = trackingOf(server);
  if (t.draining) return;
  t.draining = true;
  const now = performance.now();
  for (const socket of t.sockets) {
    socket[STARTED] ??= now;
    const res = socket[CURRENT];
    if (!underWay(res)) continue;
    if (!res.headersSent) res.setHeader('connection', 'close');
    // Headers already sent without it: end the socket once this response is complete rather than keep it alive.
    else res.once('finish', () => res.socket?.end());
  }
}

/** Closes a draining listener's kept-alive connections that have carried no request for QUIET_MS; returns how many remain. */
export function closeQuietSockets(server: Server, quietMs = QUIET_MS): number {
  const t = trackingOf(server);
  const now = performance.now();
  let left = 0;
  for (const socket of t.sockets) {
    if (!underWay(socket[CURRENT]) && now - (socket[STARTED] ?? now) >= quietMs) socket.end();
    else left++;
  }
  return left;
}

/** How many responses are still under way on a listener. */
export function openResponses(server: Server): number {
  let n = 0;
  for (const socket of listeners.get(server)?.sockets ?? []) if (underWay(socket[CURRENT])) n++;
  return n;
}
