import { describe, expect, it } from 'vitest';
import { WorkflowInput } from '../../core/index.js';
import { workflowProblems } from '../../gateway/index.js';
import { instantiate, type WorkflowTemplate } from './template.js';
import { WORKFLOW_TEMPLATES } from './templates.js';

const named = (name: string): WorkflowTemplate => WORKFLOW_TEMPLATES.find((t) => t.name === name)!;

/** Parameters a template needs (those without defaults), and a set that sets every one of its own. */
const REQUIRED: Record<string, Record<string, unknown>> = {
  'canary-release': { stableUpstreams: ['http://stable.internal:8080'], canaryUpstreams: ['http://canary.internal:8080'] },
  'partner-api-with-claims-check': { scopes: ['orders:read'] },
};
const FULL: Record<string, Record<string, unknown>> = {
  'pii-redaction': { types: ['email', 'phone', 'ip'], defaultCountry: 'US', scan: 'responses', maxBytes: 2_097_152 },
  'prompt-injection-block': {
    threshold: 0.7,
    allowHosts: ['docs.example.com', '*.example.org'],
    scan: 'requests',
    maxBytes: 65_536,
    chatRoles: ['user', 'tool'],
  },
  'destructive-approval': { reason: 'ops reviews deletes', alsoMethods: ['PUT', 'PATCH'], exemptGroups: ['oncall', 'sre@example.com'], approvalTtlSeconds: 60 },
};

/** The workflow as `workflows.create` would save it: schema-valid, and no problem the gateway's compiler finds (CEL types, phases, body limits). */
function saved(t: WorkflowTemplate, params: Record<string, unknown>) {
  const wf = instantiate(t, `from-${t.name}`, params);
  expect(WorkflowInput.safeParse(wf).success).toBe(true);
  expect(workflowProblems(wf)).toEqual([]);
  return wf;
}

describe('workflow templates', () => {
  it.each(WORKFLOW_TEMPLATES.map((t) => [t.name, t] as const))('%s validates against the workflow schema with its defaults', (_, t) => {
    saved(t, REQUIRED[t.name] ?? {});
  });

  it.each(Object.entries(FULL))('%s validates with every parameter set', (name, params) => {
    saved(named(name), params);
  });

  it('offers the three guardrails as guardrails, the rest as traffic', () => {
    expect(WORKFLOW_TEMPLATES.filter((t) => t.category === 'guardrail').map((t) => t.name)).toEqual([
      'pii-redaction',
      'prompt-injection-block',
      'destructive-approval',
    ]);
  });

  it('pii-redaction redacts on requests and responses, or only where asked', () => {
    const both = saved(named('pii-redaction'), {});
    expect(both.request).toEqual([expect.objectContaining({ type: 'detect_pii', id: 'pii-in', action: 'redact' })]);
    expect(both.response).toEqual([expect.objectContaining({ type: 'detect_pii', id: 'pii-out', action: 'redact' })]);
    expect(both.bodyLimitBytes).toBe(1_048_576);
    const responses = saved(named('pii-redaction'), { scan: 'responses' });
    expect(responses.request).toEqual([]);
    expect(responses.response).toHaveLength(1);
  });

  it('prompt-injection-block reads the chat roles given, and every text without them', () => {
    const roles = saved(named('prompt-injection-block'), { chatRoles: ['user', 'tool'] });
    for (const node of [...roles.request, ...roles.response]) expect(node).toMatchObject({ type: 'prompt_guard', chatRoles: ['user', 'tool'] });
    for (const node of [...saved(named('prompt-injection-block'), {}).request]) expect(node).not.toHaveProperty('chatRoles');
  });

  it('prompt-injection-block blocks at the threshold given', () => {
    const wf = saved(named('prompt-injection-block'), { threshold: 0.8 });
    expect([...wf.request, ...wf.response]).toEqual([
      expect.objectContaining({ type: 'prompt_guard', action: 'block', threshold: 0.8 }),
      expect.objectContaining({ type: 'prompt_guard', action: 'block', threshold: 0.8 }),
    ]);
  });

  it('destructive-approval holds destructive calls, lets exempt groups through first, and holds the extra methods', () => {
    const wf = saved(named('destructive-approval'), FULL['destructive-approval']!);
    expect(wf.request[0]).toMatchObject({
      type: 'tool_policy',
      approvalTtlSeconds: 60,
      rules: [
        { when: '"oncall" in caller.groups', decision: 'allow' },
        { when: '"sre@example.com" in caller.groups', decision: 'allow' },
        { when: 'tool.destructive || tool.method in ["PUT","PATCH"]', decision: 'approval', reason: 'ops reviews deletes' },
      ],
    });
    expect(saved(named('destructive-approval'), {}).request[0]).toMatchObject({ rules: [{ when: 'tool.destructive', decision: 'approval' }] });
  });

  it('refuses parameters a template does not take, or a group a CEL literal would have to escape', () => {
    expect(() => instantiate(named('pii-redaction'), 'x', { action: 'block' })).toThrow(/unknown field/);
    expect(() => instantiate(named('destructive-approval'), 'x', { exemptGroups: ['a" || true || "'] })).toThrow(/exemptGroups/);
  });
});
