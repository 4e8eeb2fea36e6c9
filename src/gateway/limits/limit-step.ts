import { GatehouseError } from '../../core/index.js';
import type { LimitPlan } from '../snapshot/types.js';
import { addRateLimitHeaders } from './headers.js';
import { counterKey, type LimitDecision, type Limiter, type LimitRule, type LimitWindow } from './limiter.js';

/**
 * The one limit step of every call: REST, the Gateway MCP's `execute_call` (both through the
 * pipeline's checks), a virtual server's tool call, and a workflow's rate-limit node. Each path
 * only resolves what it is charged (`profileCharge`, `toolCharge`, or a node's own key); charging,
 * the refusal and its RateLimit-* headers are decided here, once.
 */

/** What one call is charged: the counter it counts under and the rules that apply there. */
export interface LimitCharge {
  readonly key: string;
  readonly rules: readonly LimitRule[];
  /** What set the limit when it is not the caller's plan or the tool (a workflow node), named in the refusal with its details. */
  readonly source?: { readonly label: string; readonly details: unknown };
}

/** The charge of a caller's profile (its policy's rate windows and quotas); null for none. Fails closed when the policy could not be compiled. */
export function profileCharge(plan: LimitPlan | null | undefined, ip: string | null): LimitCharge | null {
  if (!plan) return null;
  if (plan.unavailable) throw new GatehouseError('GATEHOUSE_LIMITER_UNAVAILABLE');
  return { key: counterKey(plan, ip), rules: plan.rules };
}

/** The charge of one virtual-server tool's per-caller limit: counted per server, tool and token subject. */
export function toolCharge(server: string, tool: string, subject: string, rate: { readonly window: LimitWindow; readonly limit: number }): LimitCharge {
  return { key: `fed:${server}:${tool}:${subject}`, rules: [{ kind: 'rate', window: rate.window, limit: rate.limit }] };
}

/** The refusal of a call past `decision`'s rule: one code, message and RateLimit-* and Retry-After headers on every channel. */
function limitRefusal(decision: LimitDecision, now: number, source?: LimitCharge['source']): GatehouseError {
  const rule = decision.failed;
  const quota = rule?.kind === 'quota';
  const headers = addRateLimitHeaders({}, decision, now) as Record<string, string>;
  const of = source === undefined ? '' : ` (${source.label})`;
  const message =
    rule === null
      ? undefined
      : `${quota ? 'Quota' : 'Rate limit'} of ${rule.limit} calls per ${rule.window} reached${of}; try again in ${headers['retry-after'] ?? 0} s.`;
  return new GatehouseError(quota ? 'GATEHOUSE_QUOTA_EXCEEDED' : 'GATEHOUSE_RATE_LIMITED', message, source?.details, headers);
}

function unavailable(err: unknown): never {
  throw err instanceof GatehouseError ? err : new GatehouseError('GATEHOUSE_LIMITER_UNAVAILABLE');
}

/**
 * Charges `charge` on `limiter`. `settle` receives every decision (the REST path keeps it for the
 * response's RateLimit-* headers); past the limit the call is refused (see limitRefusal) and
 * nothing is counted; an unreachable limiter refuses with GATEHOUSE_LIMITER_UNAVAILABLE. Returns
 * undefined when done synchronously (a limiter with `consumeNow`), so the hot path skips an await.
 */
export function chargeLimit(limiter: Limiter, charge: LimitCharge, now: number, settle: ((decision: LimitDecision) => void) | null): Promise<void> | undefined {
  const decide = (decision: LimitDecision): void => {
    settle?.(decision);
    if (!decision.allowed) throw limitRefusal(decision, now, charge.source);
  };
  if (limiter.consumeNow) {
    let decision: LimitDecision;
    try {
      decision = limiter.consumeNow(charge.key, charge.rules, now);
    } catch (err) {
      unavailable(err);
    }
    decide(decision);
    return undefined;
  }
  let pending: Promise<LimitDecision>;
  try {
    pending = limiter.consume(charge.key, charge.rules, now);
  } catch (err) {
    unavailable(err);
  }
  return pending.then(decide, unavailable);
}
