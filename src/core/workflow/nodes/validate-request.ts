import { z } from 'zod';
import { NodeBase } from '../common.js';

/** Checks the call against its endpoint's contract (parameters and JSON body) and refuses it with 400 naming the field. */
export const ValidateRequestNode = z.strictObject({
  type: z.literal('validate_request'),
  ...NodeBase,
  /** Check path, query and header parameters. */
  parameters: z.boolean().default(true),
  /** Check the JSON body against the request body schema (buffers the body). */
  body: z.boolean().default(true),
});
