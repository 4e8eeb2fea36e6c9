import type { RelaySink } from '../../gateway/federation/index.js';
import type { RelayGuard } from '../../gateway/index.js';

/**
 * A relay sink whose requests (an upstream's `sampling/createMessage` or `elicitation/create` during a
 * call) pass the virtual server's response guardrails before they reach the caller: what they redact
 * is relayed redacted, what they refuse fails the upstream's request (and its call), never the caller's model.
 */
export function guardedSink<T extends RelaySink>(sink: T, guard: RelayGuard | undefined): T {
  if (guard === undefined) return sink;
  // The sinks are plain objects of functions (relay-sink.ts, round-trips.ts): a copy with its `request` wrapped.
  return {
    ...sink,
    request: async (method, params) => sink.request(method, method === 'roots/list' ? params : await guard(method, params)),
  };
}
