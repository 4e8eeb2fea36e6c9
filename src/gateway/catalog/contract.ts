import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ArgumentIssue, CallParts } from './call-parts.js';
import type { Endpoint } from '../../core/index.js';
import { NOT_SETTABLE } from '../upstream/header-policy.js';
import { schemaRegExp } from '../workflows/regex.js';
import { baseType, bodyHowTo, wireBodySchema } from './body.js';

type Json = Record<string, unknown>;

// Query, path and header values arrive as whatever JSON the model wrote ("5" or 5); the body is validated as sent.
// Patterns run on RE2 (linear time), so a caller's value cannot make a schema's pattern backtrack for seconds.
const paramsAjv = new Ajv({
  strict: false,
  allErrors: true,
  coerceTypes: 'array',
  validateFormats: false,
  addUsedSchema: false,
  useDefaults: false,
  code: { regExp: schemaRegExp },
});
const bodyAjv = new Ajv({ strict: false, allErrors: true, validateFormats: false, addUsedSchema: false, code: { regExp: schemaRegExp } });

/** An endpoint's contract, compiled once per snapshot: the execute_call `params` schema and its validators. */
export interface Contract {
  /** JSON Schema of execute_call's `params` for this endpoint. */
  readonly paramsSchema: Json;
  readonly validateParams: ValidateFunction | null;
  readonly validateBody: ValidateFunction | null;
  readonly pathNames: readonly string[];
  readonly headerNames: ReadonlySet<string>;
  readonly hasBody: boolean;
  /** The body's default media type. */
  readonly bodyType: string;
  /** Whether a request body must be sent. */
  readonly bodyRequired: boolean;
  /** Whether the endpoint declares any path, query or header parameter. */
  readonly hasParameters: boolean;
  /** The declared parameters, for reading a REST call's values by their styles (see deserialize.ts). */
  readonly parameters: Endpoint['parameters'];
  /**
   * Checks a REST call's `{path, query, headers}` (values as strings, coerced to the declared
   * types): declared parameters only, since callers send many headers and may add query
   * parameters the contract does not name. Built on first use.
   */
  validateRest(): ValidateFunction | null;
}

/**
 * Moves an embedded schema's `$defs` (recursive schemas, see the OpenAPI import) to the root it is
 * embedded in, where its `#/$defs/…` references resolve. Names are unique per document, so a name
 * met twice is the same schema.
 */
function hoist(schema: Json, defs: Json): Json {
  const own = schema.$defs;
  if (typeof own !== 'object' || own === null) return schema;
  const { $defs: _, ...rest } = schema;
  for (const [name, def] of Object.entries(own)) if (!Object.hasOwn(defs, name)) defs[name] = def;
  return rest;
}

function withDefs(schema: Json, defs: Json): Json {
  return Object.keys(defs).length > 0 ? { ...schema, $defs: defs } : schema;
}

function group(doc: Endpoint, where: Endpoint['parameters'][number]['in'], defs: Json, additional = false): Json | null {
  const params = doc.parameters.filter((p) => p.in === where && !(where === 'header' && NOT_SETTABLE.has(p.name.toLowerCase())));
  if (params.length === 0) return null;
  const properties: Json = {};
  const required: string[] = [];
  for (const p of params) {
    const name = where === 'header' ? p.name.toLowerCase() : p.name;
    const schema: Json = hoist({ ...(p.schema ?? {}) }, defs);
    if (p.description && schema.description === undefined) schema.description = p.description;
    properties[name] = schema;
    if (p.required) required.push(name);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: additional };
}

function restSchema(doc: Endpoint): Json {
  const properties: Json = {};
  const required: string[] = [];
  const defs: Json = {};
  for (const [key, where] of [
    ['path', 'path'],
    ['query', 'query'],
    ['headers', 'header'],
  ] as const) {
    const g = group(doc, where, defs, true);
    if (!g) continue;
    properties[key] = g;
    if ((g.required as string[] | undefined)?.length) required.push(key);
  }
  return withDefs({ type: 'object', properties, ...(required.length ? { required } : {}) }, defs);
}

function compile(ajv: Ajv, schema: Json): ValidateFunction | null {
  try {
    return ajv.compile(schema);
  } catch {
    // A schema Ajv cannot compile (an exotic keyword combination) is not enforced rather than blocking every call.
    return null;
  }
}

/** Compiles an endpoint's contract (callers cache it: see EndpointDocs). */
export function compileContract(doc: Endpoint): Contract {
  const defs: Json = {};
  const path = group(doc, 'path', defs);
  const query = group(doc, 'query', defs);
  const headers = group(doc, 'header', defs);
  const cookies = group(doc, 'cookie', defs);
  const hasBody = doc.requestBody !== undefined;
  const properties: Json = {};
  const required: string[] = [];
  if (path) {
    properties.path = { ...path, description: 'Path parameters, substituted into the path template.' };
    required.push('path');
  }
  if (query) {
    properties.query = { ...query, description: 'Query parameters.' };
    if ((query.required as string[] | undefined)?.length) required.push('query');
  }
  if (headers) {
    properties.headers = { ...headers, description: 'Request headers (names in lower case).' };
    if ((headers.required as string[] | undefined)?.length) required.push('headers');
  }
  if (cookies) {
    properties.cookies = { ...cookies, description: 'Cookies the contract declares; the gateway writes the Cookie header.' };
    if ((cookies.required as string[] | undefined)?.length) required.push('cookies');
  }
  const wireBody = hasBody ? wireBodySchema(doc.requestBody ?? {}, doc.requestContentType) : null;
  if (wireBody) {
    properties.body = {
      ...hoist(wireBody, defs),
      description: `Request body (${doc.requestContentType ?? 'application/json'}): ${bodyHowTo(doc.requestContentType, doc.requestContentTypes)}`,
    };
    if (doc.requestBodyRequired) required.push('body');
  }
  const paramsSchema: Json = withDefs({ type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false }, defs);
  const forParams: Json = { ...paramsSchema, properties: { ...properties } };
  // The body is checked by its own, non-coercing validator.
  if (hasBody) (forParams.properties as Json).body = {};
  let rest: ValidateFunction | null | undefined;
  let params: ValidateFunction | null | undefined;
  let body: ValidateFunction | null | undefined;
  // Validators are compiled on first use: inspecting a contract needs only its schema.
  return {
    paramsSchema,
    validateRest: () => {
      if (rest === undefined) rest = compile(paramsAjv, restSchema(doc));
      return rest;
    },
    hasParameters: doc.parameters.length > 0,
    parameters: doc.parameters,
    bodyRequired: doc.requestBodyRequired === true,
    get validateParams() {
      if (params === undefined) params = compile(paramsAjv, forParams);
      return params;
    },
    get validateBody() {
      if (body === undefined) body = wireBody && Object.keys(wireBody).length > 0 ? compile(bodyAjv, wireBody) : null;
      return body;
    },
    pathNames: doc.parameters.filter((p) => p.in === 'path').map((p) => p.name),
    headerNames: new Set(doc.parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase())),
    hasBody,
    bodyType: doc.requestContentType ?? 'application/json',
  };
}

/** Turns a validator's error into a precise problem under a field path (`params`, `query`, `body`…). */
export function describe(err: ErrorObject, prefix: string): ArgumentIssue {
  let path = prefix + err.instancePath.replace(/\//g, '.');
  let message = err.message ?? 'is invalid';
  if (err.keyword === 'required') {
    path = `${path}.${(err.params as { missingProperty: string }).missingProperty}`;
    message = 'is required';
  } else if (err.keyword === 'additionalProperties') {
    path = `${path}.${(err.params as { additionalProperty: string }).additionalProperty}`;
    message = 'is not part of the contract';
  } else if (err.keyword === 'enum') {
    message = `must be one of ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`;
  }
  return { path, message };
}

/**
 * Validates `params` against the contract; returns the problems (all of them), or the parts to send.
 * With `contentType`, a body sent as another of the endpoint's declared media types than its
 * default is not held to the default type's schema (an XML string is no JSON object).
 */
export function checkParams(contract: Contract, params: unknown, contentType?: unknown): { issues: ArgumentIssue[] } | { parts: CallParts } {
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params)))
    return { issues: [{ path: 'params', message: 'must be an object with path, query, headers, cookies and body' }] };
  // Copy the top level, so coercion never touches the caller's object.
  const p: Record<string, unknown> = { ...((params as Record<string, unknown> | undefined) ?? {}) };
  for (const k of ['path', 'query', 'headers', 'cookies'] as const) {
    const v = p[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const copy: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(v)) copy[k === 'headers' ? name.toLowerCase() : name] = value;
      p[k] = copy;
    }
  }
  const issues: ArgumentIssue[] = [];
  const headerObj = p.headers as Record<string, unknown> | undefined;
  if (headerObj && typeof headerObj === 'object')
    for (const name of Object.keys(headerObj))
      if (NOT_SETTABLE.has(name)) issues.push({ path: `params.headers.${name}`, message: 'is set by the gateway and cannot be sent' });
  if (contract.validateParams && !contract.validateParams(p)) for (const e of contract.validateParams.errors ?? []) issues.push(describe(e, 'params'));
  const hasBody = Object.hasOwn(p, 'body') && p.body !== undefined;
  const otherType = typeof contentType === 'string' && baseType(contentType) !== baseType(contract.bodyType);
  if (hasBody && !otherType && contract.validateBody && !contract.validateBody(p.body))
    for (const e of contract.validateBody.errors ?? []) issues.push(describe(e, 'params.body'));
  if (issues.length > 0) return { issues: dedupe(issues) };
  return {
    parts: {
      path: (p.path as Record<string, unknown>) ?? {},
      query: (p.query as Record<string, unknown>) ?? {},
      headers: (p.headers as Record<string, unknown>) ?? {},
      cookies: (p.cookies as Record<string, unknown>) ?? {},
      body: p.body,
      hasBody,
    },
  };
}

/** The issues without repeats (the same field and message reported by several schema branches). */
export function dedupe(issues: ArgumentIssue[]): ArgumentIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export type { ArgumentIssue, CallParts } from './call-parts.js';
