import type { RelaySink } from '../../gateway/federation/index.js';
import type { CallStream } from '../kit/endpoint.js';
import type { PendingAnswers } from './pending-answers.js';

/**
 * Where a relayed call's server-to-client requests and notifications go: the caller's response
 * stream, each request under an id of this node's minting, answered by the caller's POST (see
 * PendingAnswers). `close` fails whatever is still unanswered when the call ends.
 */
export function sinkOf(
  stream: CallStream,
  answers: PendingAnswers,
  subject: string,
  timeoutMs: number,
  /** Which log messages go to the caller (all when absent). */
  logs?: (params: Record<string, unknown> | undefined) => boolean,
): RelaySink & { close(): void } {
  const open = new Set<() => void>();
  return {
    async request(method, params) {
      const pending = answers.open(subject, timeoutMs);
      open.add(pending.cancel);
      try {
        await stream.send({ id: pending.id, method, ...(params ? { params } : {}) });
        return await pending.answer;
      } finally {
        pending.cancel();
        open.delete(pending.cancel);
      }
    },
    notify: (method, params) => {
      if (method === 'notifications/message' && logs && !logs(params)) return;
      stream.notify(method, params);
    },
    close() {
      for (const cancel of open) cancel();
      open.clear();
    },
  };
}
