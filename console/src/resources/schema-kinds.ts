import type { JsonSchema } from '../api/openapi-doc';
import { referenceOf } from './labels';

/** The schema of a value that may also be null (`anyOf: [X, {type: null}]`), and whether it may. */
export function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const rest = options.filter((o) => o.type !== 'null');
    if (rest.length === 1 && rest.length < options.length) return { schema: { ...rest[0], default: schema.default }, nullable: true };
  }
  return { schema, nullable: false };
}

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

export type ScalarKind = 'text' | 'number' | 'boolean' | 'enum';

/**
 * How a field is edited: a scalar control; a picker of another resource's items (`ref`, `refs`);
 * checkboxes for a list of choices (`choices`); one entry per line (`list`: upstream URLs, CIDRs);
 * a row editor for a list of small records (`rows`: rate limits, quotas); a group of controls for a
 * record of scalars and lists (`group`: timeouts, TLS, access lists); name and value rows for a map
 * of strings (`pairs`: headers); else JSON with an example.
 */
export type FieldKind = ScalarKind | 'ref' | 'refs' | 'choices' | 'list' | 'rows' | 'group' | 'pairs' | 'json';

export function scalarKind(schema: JsonSchema): ScalarKind | undefined {
  const s = unwrapNullable(schema).schema;
  if (s.enum) return 'enum';
  const type = typeOf(s);
  if (type === 'string') return 'text';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  return undefined;
}

function isStringList(s: JsonSchema): boolean {
  return typeOf(s) === 'array' && s.items !== undefined && typeOf(s.items) === 'string';
}

/** A record whose fields are all scalars: a row of a row editor. */
function isFlatRecord(s: JsonSchema | undefined): boolean {
  if (!s || typeOf(s) !== 'object' || !s.properties) return false;
  return Object.values(s.properties).every((p) => scalarKind(p) !== undefined);
}

export function kindOf(schema: JsonSchema, resource = '', name = ''): FieldKind {
  const s = unwrapNullable(schema).schema;
  const ref = name ? referenceOf(resource, name) : undefined;
  const scalar = scalarKind(s);
  if (scalar === 'text' && ref) return 'ref';
  if (scalar) return scalar;
  if (isStringList(s)) {
    if (ref) return 'refs';
    return s.items?.enum ? 'choices' : 'list';
  }
  if (typeOf(s) === 'array' && isFlatRecord(s.items)) return 'rows';
  const values = s.additionalProperties;
  if (typeOf(s) === 'object' && !s.properties && typeof values === 'object' && typeOf(values) === 'string') return 'pairs';
  if (
    typeOf(s) === 'object' &&
    s.properties &&
    Object.values(s.properties).every((p) => scalarKind(p) !== undefined || isStringList(unwrapNullable(p).schema))
  ) {
    return 'group';
  }
  return 'json';
}

const STRUCTURED = new Set<FieldKind>(['refs', 'choices', 'list', 'rows', 'group', 'pairs', 'json']);

/** Whether the field's draft holds JSON text (every kind but the scalars and single references). */
export function isStructured(kind: FieldKind): boolean {
  return STRUCTURED.has(kind);
}

/** Form state: every field as the text of its control (JSON for lists and records). */
export type Draft = Record<string, string>;

export function draftOf(body: JsonSchema, value: Record<string, unknown> = {}, resource = ''): Draft {
  const draft: Draft = {};
  for (const [name, schema] of Object.entries(body.properties ?? {})) {
    const v = name in value ? value[name] : schema.default;
    const kind = kindOf(schema, resource, name);
    draft[name] = v === undefined || v === null ? '' : isStructured(kind) ? JSON.stringify(v, null, 2) : String(v);
  }
  return draft;
}

/** The request body from a draft; empty optional fields are left out (or null where null is allowed and the field was set before). */
export function bodyOf(body: JsonSchema, draft: Draft, only?: Set<string>, resource = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(body.required ?? []);
  for (const [name, raw] of Object.entries(body.properties ?? {})) {
    if (only && !only.has(name)) continue;
    const text = draft[name] ?? '';
    const { nullable } = unwrapNullable(raw);
    const kind = kindOf(raw, resource, name);
    if (text === '') {
      if (nullable && only) out[name] = null;
      else if (required.has(name) && (kind === 'text' || kind === 'ref')) out[name] = '';
      continue;
    }
    if (kind === 'number') out[name] = Number(text);
    else if (kind === 'boolean') out[name] = text === 'true';
    else if (isStructured(kind)) {
      try {
        out[name] = JSON.parse(text);
      } catch {
        throw new Error(`${name}: not valid JSON`);
      }
    } else out[name] = text;
  }
  return out;
}

/** A small value of the schema's shape, shown as an example next to a JSON field. */
export function exampleOf(schema: JsonSchema, depth = 0): unknown {
  const s = unwrapNullable(schema).schema;
  if (depth > 4) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf ?? s.oneOf) return exampleOf((s.anyOf ?? s.oneOf)![0]!, depth + 1);
  switch (typeOf(s)) {
    case 'string':
      return s.format === 'uri' ? 'https://api.example.com' : s.format === 'date-time' ? '2026-01-01T00:00:00Z' : 'text';
    case 'integer':
    case 'number':
      return s.minimum !== undefined && s.minimum > 0 ? s.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return s.items ? [exampleOf(s.items, depth + 1)] : [];
    case 'object': {
      if (s.properties) {
        const required = new Set(s.required ?? []);
        const entries = Object.entries(s.properties);
        const shown = entries.filter(([k]) => required.has(k));
        return Object.fromEntries((shown.length > 0 ? shown : entries.slice(0, 3)).map(([k, v]) => [k, exampleOf(v, depth + 1)]));
      }
      return typeof s.additionalProperties === 'object' ? { name: exampleOf(s.additionalProperties, depth + 1) } : {};
    }
    default:
      return {};
  }
}
