import { z } from 'zod';
import { NodeBase } from '../common.js';

/** An extra rate window on this route, counted on the gateway's limiter (memory or Redis, exact) apart from the caller's policy. */
export const RateLimitNode = z
  .strictObject({
    type: z.literal('rate_limit'),
    ...NodeBase,
    /** What is counted: each client, each caller address, or each value of a JWT claim. */
    keyBy: z.enum(['client', 'ip', 'claim']),
    /** For `keyBy: claim`: the claim (a dotted path). */
    claim: z.string().min(1).max(200).optional(),
    window: z.enum(['second', 'minute', 'hour']),
    limit: z.number().int().min(1).max(1_000_000_000),
  })
  .refine((n) => n.keyBy !== 'claim' || n.claim !== undefined, { message: 'required when keyBy is claim', path: ['claim'] });
