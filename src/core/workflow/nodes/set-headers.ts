import { z } from 'zod';
import { HeaderName, NodeBase, Template } from '../common.js';

/** Sets headers on the request to the upstream (request phase) or on the response to the caller (response phase). */
export const SetHeadersNode = z.strictObject({
  type: z.literal('set_headers'),
  ...NodeBase,
  /** Header name → value template, e.g. `{"X-Tenant": "{{caller.client.id}}"}`. */
  headers: z.record(HeaderName, Template).refine((h) => Object.keys(h).length > 0 && Object.keys(h).length <= 50, 'between 1 and 50 headers'),
});
