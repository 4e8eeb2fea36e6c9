import { z } from 'zod';
import { patchOf } from './patch.js';
import { Name, Stored } from './common.js';

export const RateWindow = z.enum(['second', 'minute', 'hour']);
export const QuotaPeriod = z.enum(['day', 'month']);

export const PolicyInput = z.strictObject({
  name: Name,
  rateLimits: z
    .array(z.strictObject({ window: RateWindow, limit: z.number().int().min(1).max(1_000_000_000) }))
    .max(3)
    .default([])
    .refine((w) => new Set(w.map((x) => x.window)).size === w.length, 'one limit per window'),
  quotas: z
    .array(z.strictObject({ period: QuotaPeriod, limit: z.number().int().min(1).max(1_000_000_000_000) }))
    .max(2)
    .default([])
    .refine((q) => new Set(q.map((x) => x.period)).size === q.length, 'one quota per period'),
});
export const PolicyPatch = patchOf(PolicyInput);
export const Policy = PolicyInput.extend(Stored);
export type Policy = z.infer<typeof Policy>;
