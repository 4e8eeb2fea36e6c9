import type { IncomingMessage } from 'node:http';

/**
 * Reads and discards what is left of the caller's body once the upstream has answered without
 * reading it all: otherwise the body stays unread, the caller cannot finish sending, and its
 * keep-alive connection stalls.
 */
export function discardRestOfBody(req: IncomingMessage): void {
  if (req.complete) return;
  req.unpipe();
  req.resume();
}

/** How long the rest of a refused call's body is read and thrown away before the connection is cut. */
const LINGER_MS = 2_000;

/**
 * When the gateway itself refuses a call (401, 413, 502…): reads and discards the rest of the body
 * for a little while, so the keep-alive connection survives a short body, then cuts the connection
 * if the body still has not ended, so an oversized or endless one costs at most that long. Closing
 * at once would leave the caller's bytes unread, and the reset that follows can reach the caller
 * before it has read the answer.
 */
export function lingerThenClose(req: IncomingMessage): void {
  // A call without a body has nothing left to read, though the parser may not have said so yet
  // (it answers inside the 'request' event): no listener, and no timer per call.
  if (req.complete || !mayHaveBody(req)) return;
  discardRestOfBody(req);
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
  req.once('end', () => clearTimeout(timer));
}

/** Whether the request framing allows a body: chunked, or a declared length above zero. */
function mayHaveBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
