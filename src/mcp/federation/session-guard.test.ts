import { describe, expect, it } from 'vitest';
import { GatehouseError, type UpstreamTarget, type VirtualTarget } from '../../core/index.js';
import type { Gateway, RelayGuard } from '../../gateway/index.js';

type McpCallRequest = Parameters<Gateway['mcpRelayGuard']>[0];
import { sessionGuard } from './session-guard.js';

const caller = { requestId: 'r', subject: 'user:u', actor: null, ip: null, userAgent: null, trace: null };
const upstream = { id: 'up_1', name: 'notes', url: 'http://127.0.0.1:1/mcp' } as UpstreamTarget;

function target(workflows: VirtualTarget['workflows']): VirtualTarget {
  return { slug: 'notes', workflows } as VirtualTarget;
}

/** Guards by workflow id: `a` writes [A] for "alpha", `b` refuses "beta"; `none` runs no guardrail. */
const calls = {
  asked: [] as McpCallRequest[],
  mcpRelayGuard(call: McpCallRequest): RelayGuard | undefined {
    calls.asked.push(call);
    const id = call.workflow?.id;
    if (id === 'none') return undefined;
    return {
      async toCaller(_method, params) {
        const text = JSON.stringify(params);
        if (id === 'b' && text.includes('beta')) throw new GatehouseError('GATEHOUSE_GUARDRAIL_BLOCKED', 'refused by b');
        return JSON.parse(id === 'a' ? text.replaceAll('alpha', '[A]') : text) as Record<string, unknown>;
      },
      toUpstream: async (_method, params) => params,
    };
  },
};

describe("an upstream session's own messages", () => {
  it('pass every workflow attached to the server in turn: each may redact, any may refuse', async () => {
    const guard = sessionGuard(calls, target([{ workflowId: 'a' }, { workflowId: 'b', tools: ['x'] }, { workflowId: 'none' }]), upstream, caller);
    expect(await guard?.toCaller('notifications/message', { data: 'alpha and gamma' })).toEqual({ data: '[A] and gamma' });
    await expect(guard?.toCaller('notifications/message', { data: 'alpha and beta' })).rejects.toThrow('refused by b');
  });

  it('ask each workflow once however often it is attached, judged as no one tool of the server', () => {
    calls.asked.length = 0;
    sessionGuard(calls, target([{ workflowId: 'a' }, { workflowId: 'a', tools: ['x'] }, { workflowId: 'a', version: 2 }]), upstream, caller);
    expect(calls.asked.map((c) => [c.workflow?.id, c.workflow?.version, c.name])).toEqual([
      ['a', null, ''],
      ['a', 2, ''],
    ]);
  });

  it('are not judged where no workflow runs a guardrail', () => {
    expect(sessionGuard(calls, target([]), upstream, caller)).toBeUndefined();
    expect(sessionGuard(calls, target([{ workflowId: 'none' }]), upstream, caller)).toBeUndefined();
  });
});
