/**
 * JSON Schema expansion shared by the OpenAPI import (which checks every reference) and the
 * gateway (which expands an endpoint's stored schemas against its proxy's shared schemas when a
 * contract is first used). Pure: imports nothing of ours.
 */
/** A problem found in a document, by its location (e.g. `paths./orders.get.parameters.0.in`). */
export interface SchemaIssue {
  path: string;
  message: string;
}

export const DROPPED_SCHEMA_KEYS = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator']);
export const MAX_ISSUES = 100;
/** Keywords whose value maps names to schemas. */
export const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function cap(text: unknown, max: number): string {
  if (typeof text !== 'string') return '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The keys of a JSON pointer in a URI fragment; null when its percent-encoding is malformed. */
function decodePointer(fragment: string): string[] | null {
  if (fragment === '' || fragment === '/') return fragment === '/' ? [''] : [];
  try {
    return fragment
      .slice(1)
      .split('/')
      .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  } catch {
    return null;
  }
}

function atPointer(doc: unknown, keys: readonly string[]): unknown {
  let node = doc;
  for (const key of keys) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = Object.hasOwn(node, key) ? node[key] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Splits an absolute-or-relative `$ref` into the document it names (`''` = the root) and the JSON pointer. */
export function splitRef(ref: string, base: string): { doc: string; pointer: string } | null {
  const hash = ref.indexOf('#');
  const target = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  if (target === '') return { doc: base, pointer };
  try {
    const url = new URL(target, base || undefined);
    url.hash = '';
    return { doc: url.href, pointer };
  } catch {
    return null;
  }
}

/**
 * Expands `$ref`s within a node budget and depth bound. A cycle becomes a JSON Schema `$ref` to
 * a `$defs` entry at the root of the schema being expanded, so the structure stays whole; overflow
 * becomes a described stub.
 */
export class SchemaExpander {
  nodes = 0;
  budget = 0;
  /** The `$defs` of the schema being expanded (one per top-level schema, so each stays self-contained). */
  #defs = new Map<string, unknown>();
  /** `$defs` name by resolved reference, document-wide, so one name never means two schemas. */
  readonly #defNames = new Map<string, string>();
  constructor(
    private readonly root: unknown,
    private readonly externals: ReadonlyMap<string, unknown>,
    private readonly maxDepth: number,
    readonly errors: SchemaIssue[],
    private readonly baseUrl: string,
  ) {}

  /** Resolves a `$ref` to its target and the document base it lives in. */
  resolve(ref: string, base: string, where: string): { value: unknown; base: string } | null {
    let doc: unknown;
    let docKey = base;
    let pointer: string;
    if (ref.startsWith('#')) {
      doc = base ? this.externals.get(base) : this.root;
      pointer = ref.slice(1);
    } else {
      const split = splitRef(ref, base || this.baseUrl);
      if (split) {
        docKey = split.doc;
        doc = this.baseUrl && docKey === this.baseUrl ? this.root : this.externals.get(docKey);
      }
      pointer = split?.pointer ?? '';
    }
    if (doc === undefined) {
      this.issue(where, `cannot resolve $ref ${ref}${ref.startsWith('#') ? '' : ' (remote document not available)'}`);
      return null;
    }
    const keys = decodePointer(pointer);
    if (keys === null) {
      this.issue(where, `$ref ${ref} is not a valid JSON pointer (malformed percent-encoding)`);
      return null;
    }
    const value = atPointer(doc, keys);
    if (value === undefined) {
      this.issue(where, `$ref ${ref} points at nothing`);
      return null;
    }
    return { value, base: this.baseUrl && docKey === this.baseUrl ? '' : docKey };
  }

  issue(path: string, message: string): void {
    if (this.errors.length < MAX_ISSUES) this.errors.push({ path, message });
  }

  /** A component (parameter, request body, response) that may itself be a `$ref`; not counted against the budget. */
  component(value: unknown, where: string, base = ''): { value: Json; base: string } | null {
    let current = value;
    let b = base;
    for (let hops = 0; hops < 10; hops++) {
      if (!isObject(current)) return null;
      if (typeof current.$ref !== 'string') return { value: current, base: b };
      const r = this.resolve(current.$ref, b, where);
      if (!r) return null;
      current = r.value;
      b = r.base;
    }
    this.issue(where, 'too many chained $refs');
    return null;
  }

  schema(value: unknown, where: string, base = ''): Json {
    this.#defs = new Map();
    const expanded = this.expand(value, 0, [], base, where);
    const out = isObject(expanded) ? expanded : {};
    if (this.#defs.size === 0) return out;
    return { ...out, $defs: { ...(isObject(out.$defs) ? out.$defs : {}), ...Object.fromEntries(this.#defs) } };
  }

  #defName(key: string, ref: string): string {
    let name = this.#defNames.get(key);
    if (name === undefined) {
      const wanted = (ref.slice(ref.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9_.-]/g, '_') || 'Schema').slice(0, 100);
      const taken = new Set(this.#defNames.values());
      name = wanted;
      for (let i = 2; taken.has(name); i++) name = `${wanted}_${i}`;
      this.#defNames.set(key, name);
    }
    return name;
  }

  /** A reference back into a schema being expanded: a `$ref` to its `$defs` entry, expanded there once. */
  #recursion(ref: string, key: string, base: string, where: string): Json {
    const name = this.#defName(key, ref);
    if (!this.#defs.has(name)) {
      // Reserved before expanding, so a reference inside the definition ends here.
      this.#defs.set(name, {});
      const r = this.resolve(ref, base, where);
      this.#defs.set(name, r ? this.expand(r.value, 0, [key], r.base, where) : {});
    }
    return { $ref: `#/$defs/${name}` };
  }

  expand(value: unknown, depth: number, stack: string[], base: string, where: string): unknown {
    if (Array.isArray(value)) return value.map((v) => this.expand(v, depth, stack, base, where));
    if (!isObject(value)) return value;
    const ref = value.$ref;
    if (typeof ref === 'string') {
      const key = `${base}${ref}`;
      if (stack.includes(key)) return this.#recursion(ref, key, base, where);
      const r = this.resolve(ref, base, where);
      if (!r) return {};
      const target = this.expand(r.value, depth, [...stack, key], r.base, where);
      const siblings = Object.keys(value).filter((k) => k !== '$ref');
      if (siblings.length === 0 || !isObject(target)) return target;
      const merged: Json = { ...target };
      for (const k of siblings) merged[k] = this.expand(value[k], depth + 1, stack, base, where);
      return merged;
    }
    this.nodes++;
    if (depth >= this.maxDepth || this.nodes > this.budget) {
      const stub: Json = {
        description: `${typeof value.description === 'string' ? `${cap(value.description, 200)} ` : ''}(nested schema not expanded: size limit)`,
      };
      if (typeof value.type === 'string') stub.type = value.type;
      return stub;
    }
    return mapSchemaKeywords(value, (v) => this.expand(v, depth + 1, stack, base, where));
  }
}

/**
 * A schema object's kept keywords (examples, XML hints and extensions dropped; text capped; literal
 * values as they are), every subschema passed through `sub`, in the spellings validators understand.
 */
export function mapSchemaKeywords(value: Json, sub: (schema: unknown) => unknown): Json {
  const out: Json = {};
  for (const k in value) {
    if (DROPPED_SCHEMA_KEYS.has(k) || k.startsWith('x-')) continue;
    const v = value[k];
    if (k === 'description' || k === 'title') out[k] = cap(v, 2_000);
    else if (k === 'enum' || k === 'required' || k === 'default' || k === 'const') out[k] = v;
    else if (SCHEMA_MAPS.has(k) && isObject(v)) {
      // Keys here are property (or definition) names, never keywords: each value is a schema.
      const map: Json = {};
      for (const name in v) map[name] = sub(v[name]);
      out[k] = map;
    } else out[k] = sub(v);
  }
  return openApi30Spellings(out);
}

/** OpenAPI 3.0 spellings (nullable, boolean exclusive bounds) rewritten as JSON Schema validators understand them. */
export function openApi30Spellings(out: Json): Json {
  // OpenAPI 3.0 spellings, as JSON Schema validators understand them.
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  delete out.nullable;
  if (typeof out.exclusiveMinimum === 'boolean') {
    if (out.exclusiveMinimum && typeof out.minimum === 'number') {
      out.exclusiveMinimum = out.minimum;
      delete out.minimum;
    } else delete out.exclusiveMinimum;
  }
  if (typeof out.exclusiveMaximum === 'boolean') {
    if (out.exclusiveMaximum && typeof out.maximum === 'number') {
      out.exclusiveMaximum = out.maximum;
      delete out.maximum;
    } else delete out.exclusiveMaximum;
  }
  return out;
}

/** Where an endpoint's stored schemas point into its proxy's shared schemas: `{"$ref": "#/$defs/Name"}`. */
export const SHARED_SCHEMA_REF = '#/$defs/';

/** Expansion bounds per endpoint: nesting depth, and schema nodes for the inputs (parameters and body) and for the responses. */
export interface ExpansionBudgets {
  maxDepth?: number;
  maxInputNodes?: number;
  maxResponseNodes?: number;
}

interface EndpointSchemas {
  parameters: ReadonlyArray<{ schema?: Json | undefined }>;
  requestBody?: Json | undefined;
  responses: Record<string, Json>;
}

/**
 * An endpoint's schemas with their references to the shared schemas expanded in place, within the
 * budgets (a cycle kept as `$defs` and `$ref`, overflow as a described stub): what a model reads
 * and what validators compile.
 */
export function expandEndpointSchemas<T extends EndpointSchemas>(doc: T, shared: Json, budgets: ExpansionBudgets = {}): T {
  const x = new SchemaExpander({ $defs: shared }, new Map(), budgets.maxDepth ?? 24, [], '');
  x.nodes = 0;
  x.budget = budgets.maxInputNodes ?? 2_500;
  const parameters = doc.parameters.map((p, i) => (p.schema === undefined ? p : { ...p, schema: x.schema(p.schema, `parameters.${i}`) }));
  const requestBody = doc.requestBody === undefined ? undefined : x.schema(doc.requestBody, 'requestBody');
  x.nodes = 0;
  x.budget = budgets.maxResponseNodes ?? 600;
  const responses: Record<string, Json> = {};
  for (const [code, schema] of Object.entries(doc.responses)) responses[code] = x.schema(schema, `responses.${code}`);
  return { ...doc, parameters, ...(requestBody === undefined ? {} : { requestBody }), responses };
}
