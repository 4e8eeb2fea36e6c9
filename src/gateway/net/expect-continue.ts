import type { IncomingMessage, ServerResponse } from 'node:http';

const AWAITING = Symbol('gatehouse.awaitingContinue');

type Deferred = IncomingMessage & { [AWAITING]?: boolean };

/**
 * Marks a request whose caller sent `Expect: 100-continue` and is waiting to be told to send its
 * body: the listener's `checkContinue` handler calls this instead of letting node:http answer 100
 * at once, so a call the gateway refuses (401, 403, 413, 429…) is refused before the body is sent.
 */
export function deferContinue(req: IncomingMessage): void {
  (req as Deferred)[AWAITING] = true;
}

/** Tells a waiting caller to send its body (once); does nothing for any other request. */
export function sendContinue(req: IncomingMessage, res: ServerResponse): void {
  const deferred = req as Deferred;
  if (deferred[AWAITING] !== true) return;
  deferred[AWAITING] = false;
  res.writeContinue();
}
