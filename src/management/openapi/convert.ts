import {
  CollectionFormat,
  cap,
  type HttpMethod,
  isObject,
  type Parameter,
  PathTemplate,
  SchemaExpander,
  type SchemaIssue,
  STYLES_BY_LOCATION,
  splitRef,
} from '../../core/index.js';
import { SharedSchemas } from './library.js';
import { pathProblem } from './path-shape.js';

/** One OpenAPI operation, converted into the shape of an endpoint (without its proxy). */
export interface EndpointDraft {
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary: string;
  description: string;
  tags?: string[];
  parameters: Parameter[];
  requestBody?: Record<string, unknown>;
  requestContentType?: string;
  requestContentTypes?: string[];
  requestBodyRequired?: boolean;
  responses: Record<string, Record<string, unknown>>;
}

/** A problem found in a document, by its location (e.g. `paths./orders.get.parameters.0.in`). */
export type DocumentIssue = SchemaIssue;

export interface ConvertedDocument {
  openapi: string;
  title: string;
  version: string;
  description: string;
  /** Absolute server URLs, variables filled with their defaults. */
  servers: string[];
  endpoints: EndpointDraft[];
  /** Operations left out, and why (unsupported method or path shape, duplicate route). */
  skipped: Array<{ method: string; path: string; reason: string }>;
  warnings: string[];
  /** Schemas that refer to themselves, kept as JSON Schema `$defs` and `$ref`. */
  recursiveSchemas: string[];
  /** The schemas the endpoints share, by name: endpoint schemas refer to them as `#/$defs/Name`. */
  schemas: Record<string, Record<string, unknown>>;
  /** When non-empty, the document is invalid and nothing may be imported. */
  errors: DocumentIssue[];
}

export interface ConvertOptions {
  /** The URL the document came from: relative server URLs and `$ref`s resolve against it. */
  baseUrl?: string;
  /** Fetched documents for remote `$ref`s, by absolute URL without fragment. */
  externals?: ReadonlyMap<string, unknown>;
  /** Most operations imported (default 5,000). */
  maxOperations?: number;
}

const METHODS: Record<string, HttpMethod> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
};
type Json = Record<string, unknown>;

function pickContent(content: unknown): { type: string; media: Json } | null {
  if (!isObject(content)) return null;
  const types = Object.keys(content);
  const chosen = types.find((t) => t.split(';')[0]!.trim() === 'application/json') ?? types.find((t) => /[/+]json\b/.test(t)) ?? types[0];
  if (chosen === undefined || !isObject(content[chosen])) return null;
  return { type: chosen, media: content[chosen] as Json };
}

function serverUrls(doc: Json, baseUrl: string | undefined, warnings: string[]): string[] {
  const out: string[] = [];
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  for (const s of servers) {
    if (!isObject(s) || typeof s.url !== 'string') continue;
    let url = s.url;
    const vars = isObject(s.variables) ? s.variables : {};
    url = url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const v = vars[name];
      return isObject(v) && typeof v.default === 'string' ? v.default : `{${name}}`;
    });
    try {
      const abs = new URL(url, baseUrl);
      if ((abs.protocol === 'http:' || abs.protocol === 'https:') && !abs.href.includes('{')) {
        abs.search = '';
        abs.hash = '';
        out.push(abs.href.replace(/\/$/, ''));
        continue;
      }
    } catch {
      // relative without a base: reported below
    }
    warnings.push(`server ${s.url} is not an absolute http(s) URL; give upstreams explicitly`);
  }
  return out;
}

/** Validates the document's shape and converts every operation; collects every problem instead of stopping at the first. */
export function convertDocument(doc: unknown, opts: ConvertOptions = {}): ConvertedDocument {
  const errors: DocumentIssue[] = [];
  const warnings: string[] = [];
  const skipped: ConvertedDocument['skipped'] = [];
  const endpoints: EndpointDraft[] = [];
  const result = (fields: Partial<ConvertedDocument> = {}): ConvertedDocument => ({
    openapi: '',
    title: '',
    version: '',
    description: '',
    servers: [],
    endpoints,
    skipped,
    warnings,
    recursiveSchemas: [],
    schemas: {},
    errors,
    ...fields,
  });
  if (Array.isArray(doc)) {
    errors.push({
      path: '',
      message: `the document is a JSON array (of ${doc.length} item${doc.length === 1 ? '' : 's'}); an OpenAPI document is one object with openapi (or swagger), info and paths`,
    });
    return result();
  }
  if (!isObject(doc)) {
    errors.push({
      path: '',
      message: `the document is ${doc === null ? 'null' : `a ${typeof doc}`}; an OpenAPI document is an object with openapi (or swagger), info and paths`,
    });
    return result();
  }
  if (typeof doc.swagger === 'string') {
    errors.push({ path: 'swagger', message: `Swagger ${doc.swagger} is not supported: Swagger 2.0 (converted on import), OpenAPI 3.0 and 3.1 are` });
    return result();
  }
  const version = doc.openapi;
  if (typeof version !== 'string') errors.push({ path: 'openapi', message: 'required: the OpenAPI version, 3.0.x or 3.1.x' });
  else if (!/^3\.[01]\.\d+/.test(version)) errors.push({ path: 'openapi', message: `unsupported version ${version}: 3.0.x or 3.1.x` });
  const info = doc.info;
  if (!isObject(info)) errors.push({ path: 'info', message: 'required: an object with title and version' });
  else {
    if (typeof info.title !== 'string' || info.title.trim() === '') errors.push({ path: 'info.title', message: 'required: a string' });
    if (typeof info.version !== 'string') errors.push({ path: 'info.version', message: 'required: a string' });
  }
  if (!isObject(doc.paths)) errors.push({ path: 'paths', message: 'required: an object of path items' });
  if (errors.length > 0) return result();
  const maxOps = opts.maxOperations ?? 5_000;
  const count = countOperations(doc.paths as Json);
  // Counted before any work, so an over-limit document costs nothing and is reported once.
  if (count > maxOps) {
    errors.push({ path: 'paths', message: `the document has ${count} operations, more than the ${maxOps} allowed (openapiImport.maxOperations)` });
    return result();
  }

  // Depth and budget bound expansion, which the gateway does when a contract is first used; here the expander only resolves.
  const expander = new SchemaExpander(doc, opts.externals ?? new Map(), 0, errors, opts.baseUrl ?? '');
  const shared = new SharedSchemas(expander);
  const seenRoutes = new Map<string, string>();

  for (const [path, rawItem] of Object.entries(doc.paths as Json)) {
    const itemWhere = `paths.${path}`;
    if (!path.startsWith('/')) {
      errors.push({ path: itemWhere, message: 'a path must start with /' });
      continue;
    }
    const itemRef = expander.component(rawItem, itemWhere);
    if (!itemRef) {
      if (!isObject(rawItem)) errors.push({ path: itemWhere, message: 'a path item must be an object' });
      continue;
    }
    const item = itemRef.value;
    const problem = pathProblem(path) ?? (PathTemplate.safeParse(path).success ? null : 'the path is not a valid path template');
    for (const [key, rawOp] of Object.entries(item)) {
      if (key === 'parameters' || key === 'summary' || key === 'description' || key === 'servers' || key === '$ref' || key.startsWith('x-')) continue;
      const method = METHODS[key];
      const where = `${itemWhere}.${key}`;
      if (!method) {
        if (key === 'trace') skipped.push({ method: 'TRACE', path, reason: 'TRACE is not proxied' });
        else errors.push({ path: where, message: `unknown field ${key}` });
        continue;
      }
      if (!isObject(rawOp)) {
        errors.push({ path: where, message: 'an operation must be an object' });
        continue;
      }
      if (problem) {
        skipped.push({ method, path, reason: problem });
        continue;
      }
      const route = `${method} ${path.replace(/\{[^}]+\}/g, '{}').replace(/\/+$/, '')}`;
      const clash = seenRoutes.get(route);
      if (clash) {
        skipped.push({ method, path, reason: `routes the same requests as ${clash}` });
        continue;
      }
      seenRoutes.set(route, `${method} ${path}`);
      const draft = convertOperation(expander, shared, item, itemRef.base, rawOp, method, path, where, warnings);
      if (draft) endpoints.push(draft);
    }
  }
  return result({
    openapi: String(version),
    title: cap((info as Json).title, 200).trim(),
    version: String((info as Json).version),
    description: cap((info as Json).description, 4_000),
    servers: serverUrls(doc, opts.baseUrl, warnings),
    schemas: shared.finish(),
    recursiveSchemas: shared.recursive(),
  });
}

/** The operations a document declares (path items given by `$ref` are not counted). */
function countOperations(paths: Json): number {
  let n = 0;
  for (const item of Object.values(paths)) if (isObject(item)) for (const key in item) if (METHODS[key]) n++;
  return n;
}

function convertOperation(
  expander: SchemaExpander,
  shared: SharedSchemas,
  item: Json,
  base: string,
  op: Json,
  method: HttpMethod,
  path: string,
  where: string,
  warnings: string[],
): EndpointDraft | null {
  const errorsBefore = expander.errors.length;
  const params = new Map<string, EndpointDraft['parameters'][number]>();
  const lists: Array<[unknown, string]> = [
    [item.parameters, `${where.slice(0, where.lastIndexOf('.'))}.parameters`],
    [op.parameters, `${where}.parameters`],
  ];
  for (const [list, listWhere] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      expander.issue(listWhere, 'must be an array');
      continue;
    }
    for (const [i, raw] of list.entries()) {
      const pw = `${listWhere}.${i}`;
      const resolved = expander.component(raw, pw, base);
      if (!resolved) {
        if (!isObject(raw)) expander.issue(pw, 'a parameter must be an object');
        continue;
      }
      const p = resolved.value;
      if (typeof p.name !== 'string' || p.name === '') {
        expander.issue(`${pw}.name`, 'required: a string');
        continue;
      }
      if (p.in !== 'path' && p.in !== 'query' && p.in !== 'header' && p.in !== 'cookie') {
        expander.issue(`${pw}.in`, 'must be path, query, header or cookie');
        continue;
      }
      if (p.in === 'path' && !path.includes(`{${p.name}}`)) {
        expander.issue(`${pw}.name`, `path parameter ${p.name} does not appear in the path ${path}`);
        continue;
      }
      const content = p.schema === undefined ? pickContent(p.content) : null;
      const schemaSource = p.schema ?? content?.media.schema;
      const param: EndpointDraft['parameters'][number] = {
        name: cap(p.name, 200),
        in: p.in,
        required: p.in === 'path' ? true : p.required === true,
      };
      if (typeof p.description === 'string' && p.description) param.description = cap(p.description, 4_000);
      serialization(p, param, content?.type, `${method} ${path}`, warnings);
      if (schemaSource !== undefined) param.schema = shared.link(schemaSource, pw, resolved.base);
      params.set(`${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`, param);
    }
  }
  for (const m of path.matchAll(/\{([^}]+)\}/g)) {
    const name = m[1]!;
    if (!params.has(`path:${name}`)) {
      warnings.push(`${method} ${path}: path parameter ${name} is not declared; treated as a required string`);
      params.set(`path:${name}`, { name, in: 'path', required: true, schema: { type: 'string' } });
    }
  }
  const draft: EndpointDraft = {
    method,
    path,
    summary: cap(op.summary || op.operationId || `${method} ${path}`, 500),
    description: cap(op.description ?? item.description, 4_000),
    parameters: [...params.values()].slice(0, 200),
    responses: {},
  };
  if (typeof op.operationId === 'string' && op.operationId) draft.operationId = cap(op.operationId, 200);
  if (Array.isArray(op.tags)) {
    const tags = op.tags
      .filter((t): t is string => typeof t === 'string' && t.length > 0)
      .map((t) => cap(t, 100))
      .slice(0, 50);
    if (tags.length > 0) draft.tags = tags;
  }
  if (op.requestBody !== undefined) {
    const rb = expander.component(op.requestBody, `${where}.requestBody`, base);
    if (rb) {
      const content = pickContent(rb.value.content);
      if (!content) expander.issue(`${where}.requestBody.content`, 'required: at least one media type');
      else {
        draft.requestBody = content.media.schema === undefined ? {} : shared.link(content.media.schema, `${where}.requestBody`, rb.base);
        if (content.type.split(';')[0]!.trim() !== 'application/json') draft.requestContentType = content.type;
        // The others stay choosable: a caller may send XML where JSON is the default.
        const types = Object.keys(rb.value.content as Json).filter((t) => t.length > 0 && t.length <= 200);
        if (types.length > 1) draft.requestContentTypes = types.slice(0, 20);
        if (rb.value.required === true) draft.requestBodyRequired = true;
      }
    }
  }
  if (op.responses !== undefined && !isObject(op.responses)) expander.issue(`${where}.responses`, 'must be an object');
  else if (isObject(op.responses)) {
    // Success responses first, so the budget goes where a model needs it most.
    const codes = Object.keys(op.responses).sort((a, b) => rank(a) - rank(b));
    for (const code of codes) {
      if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) {
        expander.issue(`${where}.responses.${code}`, 'a response key is a status code, a range like 4XX, or default');
        continue;
      }
      const r = expander.component(op.responses[code], `${where}.responses.${code}`, base);
      if (!r) continue;
      const content = pickContent(r.value.content);
      const schema = content?.media.schema === undefined ? {} : shared.link(content.media.schema, `${where}.responses.${code}`, r.base);
      if (typeof r.value.description === 'string' && schema.description === undefined) schema.description = cap(r.value.description, 500);
      draft.responses[code] = schema;
    }
  }
  return expander.errors.length > errorsBefore ? null : draft;
}

/** The extension the Swagger 2.0 upgrade leaves on parameters whose array format OpenAPI 3 has no style for (see swagger2.ts). */
export const COLLECTION_FORMAT_KEY = 'x-gatehouse-collection-format';

/**
 * Keeps how a parameter is serialized, as declared (defaults stay implicit): `style`, `explode`,
 * `allowReserved`, a `content` media type, and a Swagger 2.0 array format OpenAPI 3 cannot say.
 * A style its location does not allow is dropped with a warning rather than failing the import.
 */
function serialization(p: Json, param: Parameter, contentType: string | undefined, op: string, warnings: string[]): void {
  if (contentType !== undefined) {
    param.contentType = cap(contentType, 200);
    return;
  }
  const format = CollectionFormat.safeParse(p[COLLECTION_FORMAT_KEY]);
  if (format.success) {
    param.collectionFormat = format.data;
    return;
  }
  if (typeof p.style === 'string') {
    if ((STYLES_BY_LOCATION[param.in] as readonly string[]).includes(p.style)) param.style = p.style as Parameter['style'];
    else warnings.push(`${op}: parameter ${param.name} has style ${cap(p.style, 40)}, which ${param.in} parameters cannot have; its default is used`);
  }
  if (typeof p.explode === 'boolean') param.explode = p.explode;
  if (p.allowReserved === true && param.in === 'query') param.allowReserved = true;
}

function rank(code: string): number {
  if (code.startsWith('2')) return 0;
  if (code === 'default') return 2;
  return 1;
}

/** Every `$ref` in a document that names another document (so it must be fetched first). */
export function remoteRefs(doc: unknown, base: string): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > 200) return;
    if (Array.isArray(node)) for (const v of node) walk(v, depth + 1);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) {
        const split = splitRef(node.$ref, base);
        out.add(split ? split.doc : node.$ref);
      }
      for (const k in node) if (k !== '$ref') walk(node[k], depth + 1);
    }
  };
  walk(doc, 0);
  return [...out];
}
