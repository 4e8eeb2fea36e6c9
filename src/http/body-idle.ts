import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, requestIdFrom, sendError } from '../core/index.js';

/**
 * Answers 408 and closes the connection when a request body stops arriving for `ms` while the
 * gateway is reading it. node:http never tells how large a chunk the client declared, so a chunk
 * size of 2^64-1 followed by three bytes looks like a slow upload, and without this would hold the
 * connection (and an upstream one) until the 300 s request timeout. A body the gateway is not
 * reading at that moment (held back by an upstream's backpressure, or before 100 Continue) does
 * not count as stalled.
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
  req.on('timeout', onIdle);
  socket.setTimeout(ms);
  req.once('end', () => {
    req.off('timeout', onIdle);
    // A response already finished has set the connection's keep-alive timeout: leave that one.
    if (!res.writableEnded) socket.setTimeout(0);
  });
}
