import { z } from 'zod';
import { Id } from '../common.js';

/** A proxy's or an endpoint's workflow: the latest version, or one pinned version. */
export const WorkflowRef = z.strictObject({
  id: Id,
  /** Pin a version (rollback); null follows the latest. */
  version: z.number().int().min(1).nullable().default(null),
});
export type WorkflowRef = z.infer<typeof WorkflowRef>;
