import { z } from 'zod';
import { HeaderName, NodeBase } from '../common.js';

/** Removes headers from the request to the upstream (request phase) or from the response (response phase). */
export const RemoveHeadersNode = z.strictObject({
  type: z.literal('remove_headers'),
  ...NodeBase,
  headers: z.array(HeaderName).min(1).max(50),
});
