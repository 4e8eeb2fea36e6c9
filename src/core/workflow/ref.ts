import { z } from 'zod';

/** A workflow version: every update of a workflow is the next one, from 1. */
export const WorkflowVersionNumber = z.number().int().min(1);

/** Which workflow a call runs: one id, at its latest version (null) or a pinned one. */
export interface WorkflowRef {
  readonly id: string;
  readonly version: number | null;
}
