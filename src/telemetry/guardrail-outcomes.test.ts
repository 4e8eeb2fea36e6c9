import { describe, expect, it } from 'vitest';
import { guardrailOutcomes } from './guardrail-outcomes.js';

describe('guardrail outcomes from a workflow summary', () => {
  it('reads each outcome once per call, with the kinds found under it', () => {
    expect(guardrailOutcomes('wf_1@3 pii:redacted email=2,card=1 out:redacted email=1 tp:held apr_01')).toEqual([
      { outcome: 'redacted', kinds: { email: 3, card: 1 } },
      { outcome: 'held', kinds: {} },
    ]);
  });

  it('keeps a prompt guard’s rules as kinds but not its score; a dry-run hold counts as held', () => {
    expect(guardrailOutcomes('wf_1@1 pg:blocked score=0.93 ignore_previous=2,role_play=1 classifier=1')).toEqual([
      { outcome: 'blocked', kinds: { ignore_previous: 2, role_play: 1 } },
    ]);
    expect(guardrailOutcomes('wf_1@1 tp:approval-required')).toEqual([{ outcome: 'held', kinds: {} }]);
  });

  it('finds nothing in decisions that are not guardrails, or without a summary', () => {
    expect(guardrailOutcomes('wf_1@2 route:canary cache:hit failed:transform')).toEqual([]);
    expect(guardrailOutcomes('wf_1@2')).toEqual([]);
    expect(guardrailOutcomes(null)).toEqual([]);
  });
});
