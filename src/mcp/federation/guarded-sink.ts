import type { RelaySink } from '../../gateway/federation/index.js';
import type { RelayGuard } from '../../gateway/index.js';

/**
 * A relay sink whose requests (an upstream's `sampling/createMessage` or `elicitation/create` during a
 * call) pass the virtual server's response guardrails before they reach the caller, and whose
 * answers pass its request guardrails before they reach the upstream: what they redact is relayed
 * redacted, what they refuse fails the upstream's request (and its call), never reaching the caller's
 * model or, answered, the upstream. A caller's roots are its workspace's addresses, relayed as they are.
 */
export function guardedSink<T extends RelaySink>(sink: T, guard: RelayGuard | undefined): T {
  if (guard === undefined) return sink;
  // The sinks are plain objects of functions (relay-sink.ts, round-trips.ts): a copy with its `request` wrapped.
  return {
    ...sink,
    request: async (method, params) => {
      if (method === 'roots/list') return sink.request(method, params);
      return guard.toUpstream(method, await sink.request(method, await guard.toCaller(method, params)));
    },
  };
}
