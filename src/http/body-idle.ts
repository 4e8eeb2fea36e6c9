import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, requestIdFrom, sendError } from '../core/index.js';

/**
 * Answers 408 and closes the connection when a request body stops arriving for `ms` while the
 * gateway is reading it. node:http never tells how large a chunk the client declared, so a chunk
 * size of 2^64-1 followed by three bytes looks like a slow upload, and without this would hold the
 * connection (and an upstream one) until the 300 s request timeout. A body the gateway is not
 * reading at that moment (held back by an upstream's backpressure, or before 100 Continue) does
 * not count as stalled.
 *
 * The guard adds one listener to the request and one to the response, and none to an event that
 * the body's reader also listens to ('end'): two listeners for one event make the emitter keep them
 * in an array, and V8 allocates those arrays straight into the old generation once long-lived
 * emitters have taught events.js's allocation site to pretenure. Such an array, dead, still holds
 * the young objects it points to through every scavenge, so each call's whole object graph (request,
 * response, context, upstream request) was promoted and lived until the next full collection:
 * measured (#55) as ~5 KB promoted per small POST against ~0.1 KB per GET, scavenges of 40–120 ms,
 * and the POST path's extra CPU off the main thread (parallel scavenging) and its p99.
 */
export function guardBodyIdle(req: IncomingMessage, res: ServerResponse, ms: number): void {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return;
  const socket = req.socket;
  const onIdle = () => {
    if (req.complete) return;
    if (req.readableFlowing !== true || req.readableLength > 0) {
      socket.setTimeout(ms);
      return;
    }
    if (res.headersSent) {
      socket.destroy();
      return;
    }
    sendError(
      res,
      new GatehouseError('GATEHOUSE_REQUEST_TIMEOUT', `The request body stopped arriving: nothing for ${ms} ms.`),
      requestIdFrom(req.headers['x-request-id']),
      { connection: 'close' },
    );
    res.once('finish', () => socket.destroySoon());
  };
  // node:http emits 'timeout' on the request only while its body is incomplete, and on the response
  // as long as it is the socket's: the response's listener is what keeps node:http from destroying
  // the socket once the body has ended.
  req.on('timeout', onIdle);
  res.on('timeout', disarmOnceBodyEnded);
  socket.setTimeout(ms);
}

/**
 * The socket went quiet for the idle time after the body had ended: the call is waiting for its
 * upstream, whose own deadlines apply, so the guard stands down (a finished response sets the
 * keep-alive timeout in its place). While the body is still arriving the request's listener decides.
 */
function disarmOnceBodyEnded(this: ServerResponse): void {
  if (this.req.complete) this.req.socket.setTimeout(0);
}
