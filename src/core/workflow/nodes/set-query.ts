import { z } from 'zod';
import { NodeBase, Template } from '../common.js';

const QueryName = z.string().min(1).max(200);

/** Sets or removes query parameters of the request to the upstream. */
export const SetQueryNode = z
  .strictObject({
    type: z.literal('set_query'),
    ...NodeBase,
    /** Parameter → value template; replaces any value the caller sent. */
    set: z.record(QueryName, Template).default({}),
    remove: z.array(QueryName).max(50).default([]),
  })
  .refine((n) => Object.keys(n.set).length + n.remove.length > 0, { message: 'set or remove at least one parameter', path: ['set'] });
