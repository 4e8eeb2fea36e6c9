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

/** OpenAPI 3 parameter styles: how a value is written into the path, query, a header or a cookie. */
export const ParameterStyle = z.enum(['simple', 'label', 'matrix', 'form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);
export type ParameterStyle = z.infer<typeof ParameterStyle>;

/** Swagger 2.0 array formats. */
export const CollectionFormat = z.enum(['csv', 'ssv', 'tsv', 'pipes', 'multi']);

/** The styles OpenAPI allows in each location (OpenAPI 3.1 §4.8.12.4). */
export const STYLES_BY_LOCATION = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
} as const satisfies Record<string, readonly ParameterStyle[]>;

export const Parameter = z
  .strictObject({
    name: z.string().min(1).max(200),
    in: z.enum(['path', 'query', 'header', 'cookie']),
    required: z.boolean().default(false),
    description: Description.optional(),
    schema: JsonSchema.optional(),
    /** How the value is serialized (OpenAPI `style`); absent: `simple` in the path and headers, `form` in the query and cookies. */
    style: ParameterStyle.optional(),
    /** Whether arrays and objects are written as separate name=value pairs (OpenAPI `explode`); absent: true for `form`, false otherwise. */
    explode: z.boolean().optional(),
    /** Query values keep RFC 3986 reserved characters unencoded (OpenAPI `allowReserved`). */
    allowReserved: z.boolean().optional(),
    /**
     * A Swagger 2.0 array format with no OpenAPI 3 style (`tsv`; `ssv` and `pipes` in the path or a
     * header), kept as imported; it wins over `style`.
     */
    collectionFormat: CollectionFormat.optional(),
    /** The parameter is described by a media type (OpenAPI `content`), e.g. application/json: its value is sent as that text. */
    contentType: z.string().min(1).max(200).optional(),
  })
  .refine((p) => p.style === undefined || (STYLES_BY_LOCATION[p.in] as readonly string[]).includes(p.style), {
    message:
      'this style is not allowed here (path: simple, label, matrix; query: form, spaceDelimited, pipeDelimited, deepObject; header: simple; cookie: form)',
    path: ['style'],
  });
export type Parameter = z.infer<typeof Parameter>;

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
  /**
   * Every media type the description declares for the body, when it declares more than one: a
   * caller may send any of them (execute_call's contentType); requestContentType is the default.
   */
  requestContentTypes: z.array(z.string().min(1).max(200)).max(20).optional(),
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
