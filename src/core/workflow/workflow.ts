import { z } from 'zod';
import { Description, Id, Name, Stored } from '../common.js';
import { patchOf } from '../patch.js';
import { WorkflowNode } from './node.js';

/** The largest body a workflow may buffer. */
export const MAX_WORKFLOW_BODY_BYTES = 16_777_216;

export const WorkflowInput = z.strictObject({
  name: Name,
  description: Description.default(''),
  /** Nodes run in order after the caller's limits, before the upstream call. */
  request: z.array(WorkflowNode).max(100).default([]),
  /** Nodes run in order once the upstream (or a mock, or the cache) has answered, before the caller gets the response. */
  response: z.array(WorkflowNode).max(100).default([]),
  /**
   * The largest body a node that reads it buffers (validate_request, transform_json, cache,
   * redact_response_fields); larger ones are refused with 413. Required when such a node is present.
   */
  bodyLimitBytes: z.number().int().min(1).max(MAX_WORKFLOW_BODY_BYTES).optional(),
});
export type WorkflowInput = z.infer<typeof WorkflowInput>;
export const WorkflowPatch = patchOf(WorkflowInput);
export const Workflow = WorkflowInput.extend(Stored);
export type Workflow = z.infer<typeof Workflow>;

/** One version of a workflow as it was saved. */
export const WorkflowVersion = z.object({
  workflowId: Id,
  version: z.number().int(),
  definition: WorkflowInput,
  savedAt: z.string(),
  savedBy: z.string(),
});
export type WorkflowVersion = z.infer<typeof WorkflowVersion>;
