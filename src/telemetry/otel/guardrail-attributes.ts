import type { Attributes } from '@opentelemetry/api';

/** Outcomes from most to least severe: a call's span carries the most severe one its guardrails reached. */
const SEVERITY: readonly string[] = ['blocked', 'denied', 'held', 'approval-required', 'redacted', 'flagged', 'approved'];
const APPROVAL_STATES = new Set(['held', 'approved', 'denied']);

/**
 * What a call's guardrails found and did as span attributes: every outcome as recorded in the
 * request log (`node:outcome kinds=counts`, never a matched value), the most severe outcome on
 * its own so a trace backend can filter on it, and the approval a held, approved or denied call names.
 */
export function addGuardrailAttributes(attributes: Attributes, outcomes: readonly string[]): void {
  if (outcomes.length === 0) return;
  attributes['gatehouse.guardrail.outcomes'] = outcomes.join('; ');
  let worst = SEVERITY.length;
  for (const outcome of outcomes) {
    const colon = outcome.indexOf(':');
    const space = outcome.indexOf(' ', colon);
    const action = outcome.slice(colon + 1, space === -1 ? undefined : space);
    const rank = SEVERITY.indexOf(action);
    if (rank !== -1 && rank < worst) worst = rank;
    // A tool policy's approval names its id after the outcome (`hold:held ap_…`); a plain deny names none.
    const id = space === -1 ? '' : outcome.slice(space + 1);
    if (APPROVAL_STATES.has(action) && id !== '') {
      attributes['gatehouse.approval.id'] = id;
      attributes['gatehouse.approval.state'] = action;
    }
  }
  if (worst < SEVERITY.length) attributes['gatehouse.guardrail.action'] = SEVERITY[worst];
}
