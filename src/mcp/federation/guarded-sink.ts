import type { RelaySink } from '../../gateway/federation/index.js';
import type { RelayGuard } from '../../gateway/index.js';
import { judgedNotices } from './judged-notices.js';

/**
 * Runs `run` with a relay sink whose requests (an upstream's `sampling/createMessage` or
 * `elicitation/create` during a call) pass the virtual server's response guardrails before they
 * reach the caller, and whose answers pass its request guardrails before they reach the upstream:
 * what they redact is relayed redacted, what they refuse fails the upstream's request (and its
 * call), never reaching the caller's model or, answered, the upstream. Its notifications (log
 * messages, progress) pass the response guardrails too (see judgedNotices), every one delivered
 * before `run`'s outcome is. A caller's roots are its workspace's addresses, relayed as they are.
 */
export async function withGuardedSink<R>(sink: RelaySink, guard: RelayGuard | undefined, run: (sink: RelaySink) => Promise<R>): Promise<R> {
  if (guard === undefined) return run(sink);
  const notices = judgedNotices(guard, (method, params) => sink.notify(method, params));
  try {
    return await run({
      request: async (method, params) => {
        if (method === 'roots/list') return sink.request(method, params);
        return guard.toUpstream(method, await sink.request(method, await guard.toCaller(method, params)));
      },
      notify: notices.notify,
    });
  } finally {
    await notices.settled();
  }
}
