import { GatehouseError } from '../../core/index.js';
import type { RelayGuard } from '../../gateway/index.js';

type Notify = (method: string, params: Record<string, unknown> | undefined) => void;

/** Notifications one listener holds while earlier ones are judged; beyond, log messages and progress are dropped. */
const MAX_WAITING = 64;

/** What an upstream's log message becomes when a guardrail refuses it: the caller learns one was withheld, and why, never what it said. */
function withheldLog(params: Record<string, unknown>, err: GatehouseError): Record<string, unknown> {
  const level = typeof params.level === 'string' ? params.level : 'warning';
  return { level, logger: 'gatehouse', data: `A log message from the upstream was withheld: ${err.message}` };
}

/** Whether a notification carries text the upstream wrote for the caller to read: a log message's data, a progress message. */
function carriesText(method: string): boolean {
  return method === 'notifications/message' || method === 'notifications/progress';
}

/**
 * The notifications an upstream sends the caller during a call (its log messages, a progress
 * `message`) through the call's relay guard, delivered in the order sent: a redacted one as
 * redacted; a refused log message as a note that one was withheld, a refused progress without its
 * message. Judging is asynchronous, so whoever answers the call awaits `settled` first: a message
 * the upstream sent before its result reaches the caller before it. A listener that falls more than
 * MAX_WAITING behind loses log messages and progress (as a flooded session's are, see NoticeBudget).
 */
export function judgedNotices(guard: RelayGuard | undefined, deliver: Notify): { notify: Notify; settled(): Promise<void> } {
  if (guard === undefined) return { notify: deliver, settled: async () => {} };
  let chain: Promise<void> = Promise.resolve();
  let waiting = 0;
  const judged = async (method: string, params: Record<string, unknown> | undefined) => {
    if (params === undefined || !carriesText(method)) return deliver(method, params);
    try {
      deliver(method, await guard.toCaller(method, params));
    } catch (err) {
      if (!(err instanceof GatehouseError)) throw err;
      if (method === 'notifications/message') deliver(method, withheldLog(params, err));
      else {
        const { message: _withheld, ...progress } = params;
        deliver(method, progress);
      }
    }
  };
  return {
    notify(method, params) {
      if (waiting >= MAX_WAITING && carriesText(method)) return;
      waiting++;
      chain = chain
        .then(() => judged(method, params))
        // A listener that fails (its stream closed) loses this notification, never the ones after it.
        .catch(() => {})
        .finally(() => {
          waiting--;
        });
    },
    settled: () => chain,
  };
}
