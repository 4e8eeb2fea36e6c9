import { z } from 'zod';
import { ERRORS, Job } from '../core/index.js';
import type { Registry } from '../management/registry.js';
import { ADMIN_API_PREFIX } from './admin-api.js';
import { SharedDefinitions } from './openapi-defs.js';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output', shared: SharedDefinitions): JsonObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;
  delete json.$schema;
  return shared.hoist(json);
}

/** How a caller asks for a job, on operations that may run as one (see admin-api.ts and prefer.ts). */
const JOB_PARAMETERS = [
  {
    name: 'Prefer',
    in: 'header',
    required: false,
    schema: { type: 'string', examples: ['respond-async', 'respond-async, wait=5'] },
    description:
      'RFC 7240. `respond-async`: run as a job and answer 202 with it; `wait=N` (seconds, at most 60): answer directly if it finishes within N seconds.',
  },
  {
    name: 'async',
    in: 'query',
    required: false,
    schema: { type: 'boolean' },
    description: 'The same as Prefer: respond-async, for callers that cannot set headers.',
  },
];

/** Splits an operation's input into path parameters, query parameters and a JSON body. */
function parametersAndBody(path: string, method: string, input: JsonObject) {
  const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const props = (input.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((input.required ?? []) as string[]);
  const parameters = pathNames.map((name) => ({ name, in: 'path', required: true, schema: props[name] ?? { type: 'string' } }));
  const rest = Object.entries(props).filter(([name]) => !pathNames.includes(name));
  if (method === 'GET' || method === 'DELETE') {
    for (const [name, schema] of rest) parameters.push({ name, in: 'query', required: required.has(name), schema });
    return { parameters, body: undefined };
  }
  const body = {
    ...input,
    properties: Object.fromEntries(rest),
    required: [...required].filter((n) => !pathNames.includes(n)),
  };
  return { parameters, body };
}

/** The OpenAPI 3.1 document of the admin API, built from the registry. */
export function buildOpenApi(registry: Registry, serverUrl: string, authorizationServer: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  const shared = new SharedDefinitions();
  for (const op of registry.all()) {
    const { parameters, body } = parametersAndBody(op.http.path, op.http.method, schemaOf(op.input, 'input', shared));
    const status = String(op.http.status ?? 200);
    const errorRef = { $ref: '#/components/responses/Error' };
    paths[op.http.path] ??= {};
    paths[op.http.path]![op.http.method.toLowerCase()] = {
      operationId: op.name,
      summary: op.summary,
      tags: [op.resource],
      'x-gatehouse-permission': op.permission,
      ...(op.destructive ? { 'x-gatehouse-destructive': true } : {}),
      parameters: op.job ? [...parameters, ...JOB_PARAMETERS] : parameters,
      ...(body
        ? {
            requestBody: {
              required: true,
              // The listener's limit for this route, stated where clients read the schema.
              ...(op.http.bodyLimitBytes ? { description: `At most ${op.http.bodyLimitBytes} bytes; a larger body is refused with 413.` } : {}),
              content: { 'application/json': { schema: body } },
            },
            ...(op.http.bodyLimitBytes ? { 'x-gatehouse-body-limit-bytes': op.http.bodyLimitBytes } : {}),
          }
        : {}),
      responses: {
        [status]: { description: 'Success', content: { 'application/json': { schema: schemaOf(op.output, 'output', shared) } } },
        ...(op.job
          ? {
              '202': {
                description: 'Started as a job (asked for with Prefer: respond-async or ?async=true); follow Location to see its progress and result',
                headers: { Location: { schema: { type: 'string' }, description: 'The job: GET it until its state is succeeded, failed or abandoned' } },
                content: { 'application/json': { schema: schemaOf(Job, 'output', shared) } },
              },
            }
          : {}),
        '400': errorRef,
        '401': errorRef,
        '403': errorRef,
        ...(op.http.path.includes('{') ? { '404': errorRef } : {}),
        ...(op.permission === 'read' ? {} : { '409': errorRef, '413': errorRef, '422': errorRef }),
      },
    };
  }
  for (const op of registry.streams()) {
    const { parameters } = parametersAndBody(op.http.path, 'GET', schemaOf(op.input, 'input', shared));
    const errorRef = { $ref: '#/components/responses/Error' };
    paths[op.http.path] ??= {};
    paths[op.http.path]!.get = {
      operationId: op.name,
      summary: op.summary,
      tags: [op.resource],
      'x-gatehouse-permission': op.permission,
      parameters,
      responses: {
        '200': {
          description: 'The entries, streamed',
          content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
        },
        '400': errorRef,
        '401': errorRef,
        '403': errorRef,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse Admin API',
      version: '1',
      description:
        'The management plane of Gatehouse. Every operation is RBAC-checked and every write is audited. ' +
        'Authenticate with an OAuth bearer token whose audience is this API.',
    },
    servers: [{ url: serverUrl + ADMIN_API_PREFIX }],
    security: [{ oauth2: [] }],
    paths,
    components: {
      schemas: shared.schemas,
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: `${authorizationServer}/auth`,
              tokenUrl: `${authorizationServer}/token`,
              scopes: {},
            },
            clientCredentials: { tokenUrl: `${authorizationServer}/token`, scopes: {} },
          },
        },
      },
      responses: {
        Error: {
          description: 'An error with a stable code',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['error'],
                properties: {
                  error: {
                    type: 'object',
                    required: ['code', 'message', 'requestId'],
                    properties: {
                      code: { type: 'string', enum: Object.keys(ERRORS) },
                      message: { type: 'string' },
                      requestId: { type: 'string' },
                      details: {},
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
