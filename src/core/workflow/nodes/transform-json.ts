import { z } from 'zod';
import { NodeBase } from '../common.js';

/** Rewrites the JSON body (of the request, or of the response) with a JSONata expression (https://jsonata.org), bounded in time and size. */
export const TransformJsonNode = z.strictObject({
  type: z.literal('transform_json'),
  ...NodeBase,
  /** e.g. `{"id": order_id, "total": $sum(items.price)}`; the body is the input, `$request`, `$caller` and `$response` are bound. */
  expression: z.string().min(1).max(20_000),
  timeoutMs: z.number().int().min(1).max(1_000).default(50),
  maxOutputBytes: z.number().int().min(1).max(16_777_216).default(1_048_576),
});
