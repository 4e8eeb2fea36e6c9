import type { UpstreamTarget, VirtualTarget } from '../../core/index.js';
import type { Gateway, McpCaller, RelayGuard } from '../../gateway/index.js';

/**
 * The guardrails what an upstream session says on its own passes on its way to the caller (a log
 * message on the caller's event stream, after `logging/setLevel`): those of every workflow attached
 * to the virtual server, in turn. Such a message belongs to no one call, so no one tool's workflow
 * can be chosen for it: each may redact, and any may refuse. Undefined when none runs a guardrail.
 */
export function sessionGuard(
  calls: Pick<Gateway, 'mcpRelayGuard'>,
  target: VirtualTarget,
  upstream: UpstreamTarget,
  caller: McpCaller,
): RelayGuard | undefined {
  const refs = new Map(target.workflows.map((w) => [`${w.workflowId}@${w.version ?? ''}`, { id: w.workflowId, version: w.version ?? null }]));
  const guards = [...refs.values()]
    .map((workflow) =>
      calls.mcpRelayGuard({
        method: 'tools/call',
        server: target.slug,
        name: '',
        upstream,
        upstreamName: '',
        arguments: {},
        caller,
        rateLimit: null,
        workflow,
      }),
    )
    .filter((guard): guard is RelayGuard => guard !== undefined);
  if (guards.length === 0) return undefined;
  if (guards.length === 1) return guards[0];
  return {
    async toCaller(method, params) {
      let out = params;
      for (const guard of guards) out = await guard.toCaller(method, out);
      return out;
    },
    async toUpstream(method, params) {
      let out = params;
      for (const guard of guards) out = await guard.toUpstream(method, out);
      return out;
    },
  };
}
