import { z } from 'zod';
import { patchOf } from './patch.js';
import { Description, HttpMethod, Id, Stored } from './common.js';
import { WorkflowVersionNumber } from './workflow/ref.js';

/** A JSON Schema fragment, kept as data. */
export const JsonSchema = z.record(z.string(), z.unknown());

export const PathTemplate = z
  .string()
  .max(500)
  // A parameter fills a segment or sits inside one (`/files/{id}.json`, `/v1/{name}:batchGet`).
  .regex(/^\/(([A-Za-z0-9._~:@!$&'()*+,;=-]|\{[A-Za-z_][A-Za-z0-9_.-]*\})+|\/)*$/, 'a path like /orders/{id}')
  .refine((p) => !p.includes('}{'), 'two parameters next to each other cannot be told apart');

export const Parameter = z.strictObject({
  name: z.string().min(1).max(200),
  in: z.enum(['path', 'query', 'header']),
  required: z.boolean().default(false),
  description: Description.optional(),
  schema: JsonSchema.optional(),
});

export const EndpointInput = z.strictObject({
  proxyId: Id,
  method: HttpMethod,
  path: PathTemplate,
  operationId: z.string().max(200).optional(),
  summary: z.string().max(500).default(''),
  description: Description.default(''),
  parameters: z.array(Parameter).max(200).default([]),
  requestBody: JsonSchema.optional(),
  responses: z.record(z.string(), JsonSchema).default({}),
  /** Whether AI clients see it in the Gateway MCP catalog. */
  mcpExposed: z.boolean().default(true),
  /** Grouping labels (OpenAPI tags); the MCP catalog searches them. */
  tags: z.array(z.string().min(1).max(100)).max(50).optional(),
  /** The media type of the request body (default application/json). */
  requestContentType: z.string().max(200).optional(),
  /** Whether a request body must be sent. */
  requestBodyRequired: z.boolean().optional(),
  /** This endpoint's own workflow instead of its proxy's; null runs the proxy's. */
  workflowId: Id.nullable().default(null),
  /** Pin the endpoint's own workflow to one version; null follows its latest. */
  workflowVersion: WorkflowVersionNumber.nullable().default(null),
  /** Run no workflow on this endpoint, whatever its proxy's. */
  workflowDisabled: z.boolean().default(false),
});
export const EndpointPatch = patchOf(EndpointInput.omit({ proxyId: true }));
export const Endpoint = EndpointInput.extend(Stored);
export type Endpoint = z.infer<typeof Endpoint>;
