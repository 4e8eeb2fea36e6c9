/** What a workflow's guardrail decided on one call, as its request-log summary says. */
export interface GuardrailOutcome {
  outcome: 'blocked' | 'redacted' | 'flagged' | 'approved' | 'denied' | 'held';
  /** What was found, by kind (`email`, `card`, an injection rule), with counts; empty when the node does not say. */
  kinds: Record<string, number>;
}

export const GUARDRAIL_OUTCOMES: readonly GuardrailOutcome['outcome'][] = ['blocked', 'redacted', 'flagged', 'approved', 'denied', 'held'];

// `<node>:<outcome>`, as Exchange.guard writes it; `approval-required` is a hold no approval was opened for (a dry run).
const DECISION = /^\S+:(blocked|redacted|flagged|approved|denied|held|approval-required)$/;
// `email=2,card=1`: kinds and counts, never a matched value.
const KIND_COUNTS = /^[A-Za-z][\w.-]*=\d+(,[A-Za-z][\w.-]*=\d+)*$/;
// Figures a guardrail reports beside its kinds, not kinds themselves.
const NOT_KINDS = new Set(['score', 'classifier']);

/**
 * The guardrail outcomes in a request-log workflow summary (`wf_1@3 pii:redacted email=2,card=1
 * tp:held apr_…`), one per distinct outcome, with the kinds found under it summed.
 */
export function guardrailOutcomes(summary: string | null): GuardrailOutcome[] {
  if (summary === null || !summary.includes(':')) return [];
  const byOutcome = new Map<GuardrailOutcome['outcome'], GuardrailOutcome>();
  let current: GuardrailOutcome | null = null;
  for (const token of summary.split(' ').slice(1)) {
    const decision = DECISION.exec(token)?.[1];
    if (decision !== undefined) {
      const outcome = decision === 'approval-required' ? 'held' : (decision as GuardrailOutcome['outcome']);
      current = byOutcome.get(outcome) ?? { outcome, kinds: {} };
      byOutcome.set(outcome, current);
      continue;
    }
    if (current === null || !KIND_COUNTS.test(token)) continue;
    for (const pair of token.split(',')) {
      const [kind, n] = pair.split('=') as [string, string];
      if (NOT_KINDS.has(kind)) continue;
      current.kinds[kind] = (current.kinds[kind] ?? 0) + Number(n);
    }
  }
  return [...byOutcome.values()];
}
