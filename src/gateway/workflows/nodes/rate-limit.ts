import type { z } from 'zod';
import { GatehouseError, type RateLimitNode } from '../../../core/index.js';
import { chargeLimit } from '../../limits/limit-step.js';
import { addressKey, type LimitRule } from '../../limits/limiter.js';
import type { Exchange } from '../exchange.js';
import type { NodeCompiler } from '../step.js';
import { claimAt } from './require-claims.js';

/** An extra window on this route, on the gateway's own limiter (memory or Redis), keyed by client, address or claim. */
export const compileRateLimit: NodeCompiler<z.output<typeof RateLimitNode>> = (node, env) => {
  const rules: readonly LimitRule[] = [{ kind: 'rate', window: node.window, limit: node.limit }];
  const prefix = `wf:${env.workflow.id}:${node.id}:`;
  const keyOf = (x: Exchange): string => {
    if (node.keyBy === 'ip') return addressKey(prefix, x.ctx.ip);
    if (node.keyBy === 'client') {
      // A virtual server's caller has no client: it is counted as the token's subject.
      if (x.ctx.mcp) return `${prefix}subject:${x.ctx.mcp.caller.subject}`;
      return prefix + (x.ctx.caller?.client.id ?? `anonymous:${x.ctx.ip ?? ''}`);
    }
    const value = x.ctx.claims ? claimAt(x.ctx.claims, node.claim!) : undefined;
    if (value === undefined || value === null)
      throw new GatehouseError('GATEHOUSE_CLAIMS_REQUIRED', `Workflow node ${node.id} counts calls per ${node.claim}, which the credential lacks.`, {
        node: node.id,
        missing: [`claim ${node.claim}`],
      });
    return prefix + String(value);
  };
  const source = { label: `workflow node ${node.id}`, details: { node: node.id } };
  // The refusal carries this window's RateLimit-* headers (see limitRefusal).
  return (x) => chargeLimit(env.services.limiter, { key: keyOf(x), rules, source }, Date.now(), null);
};
