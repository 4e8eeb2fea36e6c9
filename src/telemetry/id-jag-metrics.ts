import { Counter, type Registry } from 'prom-client';

/** One redemption of an ID-JAG, as `gatehouse_id_jag_grants_total` counts it. */
export interface IdJagCount {
  outcome: 'issued' | 'refused';
  /** Why it was refused (`replayed`, `wrong_audience`, …); `none` when issued. */
  reason: string;
}

/**
 * `gatehouse_id_jag_grants_total{outcome, reason}`: enterprise identity assertions redeemed at
 * the built-in authorization server, and why the refused ones were (a sudden rise of `replayed`
 * or `bad_signature` is someone trying leaked or forged assertions).
 */
export function registerIdJagMetrics(registry: Registry): (count: IdJagCount) => void {
  const counter = new Counter({
    name: 'gatehouse_id_jag_grants_total',
    help: 'Identity Assertion JWT Authorization Grants (MCP Enterprise-Managed Authorization) redeemed, by outcome and refusal reason.',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  });
  return (c) => counter.inc({ outcome: c.outcome, reason: c.reason });
}
