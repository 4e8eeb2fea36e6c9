import { z } from 'zod';
import { NodeBase } from '../common.js';

/** A JSON path: `$.user.ssn`, `$.items[*].card`, `$.data[0].token`. */
export const JsonPath = z.string().regex(/^\$(\.[A-Za-z_$][\w$-]*|\[\*\]|\[\d+\])+$/, 'a JSON path like $.user.ssn or $.items[*].card');

/** Removes or masks fields of a JSON response before the caller (and the model) sees them. */
export const RedactResponseFieldsNode = z.strictObject({
  type: z.literal('redact_response_fields'),
  ...NodeBase,
  paths: z.array(JsonPath).min(1).max(100),
  mode: z.enum(['remove', 'mask']).default('mask'),
  mask: z.string().max(100).default('[REDACTED]'),
});
