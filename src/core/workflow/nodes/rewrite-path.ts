import { z } from 'zod';
import { NodeBase, Template } from '../common.js';

/** Replaces the path the upstream receives (below the upstream URL's own path), e.g. `/v2/orders/{{request.params.id}}`. */
export const RewritePathNode = z.strictObject({
  type: z.literal('rewrite_path'),
  ...NodeBase,
  path: Template.refine((p) => p.startsWith('/'), 'must start with /'),
});
