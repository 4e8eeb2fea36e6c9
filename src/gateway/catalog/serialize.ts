import type { Parameter } from '../../core/index.js';
import type { ArgumentIssue, CallParts } from './call-parts.js';

/**
 * Writes execute_call's parameter values onto the wire the way the endpoint's description says:
 * OpenAPI 3 `style`/`explode`/`allowReserved` (RFC 6570 expansions for matrix, label, simple and
 * form; spaceDelimited, pipeDelimited and deepObject for the query), a parameter described by
 * `content` as its media type's text, and the Swagger 2.0 array formats OpenAPI 3 cannot say
 * (`tsv`; `ssv` and `pipes` in the path or a header). Percent-encoding follows the specification's
 * style examples: values are encoded, the delimiters a style adds are not (except the space, pipe
 * and brackets of the query-only styles, which RFC 3986 does not allow bare).
 */

type Style = NonNullable<Parameter['style']>;

/** How one parameter is written, with the defaults of its location filled in. */
export interface Serialization {
  style: Style;
  explode: boolean;
  allowReserved: boolean;
  /** A fixed delimiter between array items (Swagger 2.0 collection formats without an OpenAPI 3 style). */
  delimiter: string | null;
  /** The value is this media type's text (OpenAPI `content`). */
  contentType: string | null;
}

const DEFAULT_STYLE: Record<Parameter['in'], Style> = { path: 'simple', query: 'form', header: 'simple', cookie: 'form' };
const FORMAT_DELIMITER: Record<NonNullable<Parameter['collectionFormat']>, string | null> = {
  csv: ',',
  ssv: ' ',
  tsv: '\t',
  pipes: '|',
  multi: null,
};

/** The serialization a parameter declares, defaults filled in as OpenAPI defines them. */
export function serializationOf(p: Parameter): Serialization {
  const style = p.style ?? DEFAULT_STYLE[p.in];
  const format = p.collectionFormat;
  return {
    style: format === 'multi' && p.in === 'query' ? 'form' : style,
    explode: format !== undefined ? format === 'multi' && p.in === 'query' : (p.explode ?? style === 'form'),
    allowReserved: p.in === 'query' && p.allowReserved === true,
    delimiter: format === undefined || format === 'multi' ? null : FORMAT_DELIMITER[format],
    contentType: p.contentType ?? null,
  };
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Text that percent-encoding leaves as it is (most ids and words): returned without the per-character walk. */
const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
// RFC 3986 reserved characters that still cannot stand bare in a query (or mean something to form
// decoders) under allowReserved, as OpenAPI 3.1.1 spells out.
const RESERVED_KEPT = new Set([':', '/', '?', '@', '!', '$', "'", '(', ')', '*', ',', ';']);

/** Percent-encodes a value (UTF-8): everything but RFC 3986 unreserved characters, and with `reserved` the reserved ones a query allows and existing %XX triples. */
export function pct(text: string, reserved = false): string {
  if (ALL_UNRESERVED.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (UNRESERVED.test(c)) out += c;
    else if (reserved && RESERVED_KEPT.has(c)) out += c;
    else if (reserved && c === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) out += c;
    else {
      const code = text.codePointAt(i)!;
      if (code > 0xffff) i++;
      for (const b of Buffer.from(String.fromCodePoint(code), 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** A primitive as text; anything nested deeper than the style can express travels as JSON text. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object's members that have a value (RFC 6570 leaves out undefined members). */
function members(v: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(v).filter(([, m]) => m !== undefined && m !== null);
}

/** The value as its declared media type's text (JSON for JSON types, else the string itself). */
function asMedia(value: unknown, type: string): string {
  return /json/i.test(type) || typeof value !== 'string' ? JSON.stringify(value) : value;
}

/** The path segment text for a path parameter (matrix, label or simple); `enc` escapes values. */
function pathValue(name: string, value: unknown, s: Serialization, enc: (t: string) => string): string {
  if (s.contentType !== null) return enc(asMedia(value, s.contentType));
  const n = enc(name);
  const prefix = s.style === 'matrix' ? ';' : s.style === 'label' ? '.' : '';
  // The separator of exploded items: the prefix itself for matrix and label, a comma for simple.
  const sep = s.explode && prefix ? prefix : ',';
  const named = (v: string) => (s.style === 'matrix' ? (v === '' ? n : `${n}=${v}`) : v);
  if (Array.isArray(value)) {
    const items = value.map((v) => enc(text(v)));
    if (s.delimiter !== null) return prefix + named(items.join(enc(s.delimiter)));
    if (s.style === 'matrix' && s.explode) return items.map((v) => `;${n}=${v}`).join('');
    return prefix + named(items.join(sep));
  }
  if (isPlainObject(value)) {
    const pairs = members(value);
    if (s.explode) return prefix + pairs.map(([k, v]) => `${enc(k)}=${enc(text(v))}`).join(sep);
    return prefix + named(pairs.map(([k, v]) => `${enc(k)},${enc(text(v))}`).join(','));
  }
  return prefix + named(enc(text(value)));
}

/** The `name=value` pairs (already encoded) a query parameter adds. */
function queryPairs(name: string, value: unknown, s: Serialization): string[] {
  const enc = (t: string) => pct(t, s.allowReserved);
  const n = pct(name);
  if (s.contentType !== null) return [`${n}=${enc(asMedia(value, s.contentType))}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    const items = value.map((v) => enc(text(v)));
    if (s.delimiter !== null) return [`${n}=${items.join(pct(s.delimiter))}`];
    if (s.explode) return items.map((v) => `${n}=${v}`);
    const sep = s.style === 'spaceDelimited' ? '%20' : s.style === 'pipeDelimited' ? '%7C' : ',';
    return [`${n}=${items.join(sep)}`];
  }
  if (isPlainObject(value)) {
    const pairs = members(value);
    if (pairs.length === 0) return [];
    if (s.style === 'deepObject') return deepPairs(name, value);
    if (s.explode) return pairs.map(([k, v]) => `${pct(k)}=${enc(text(v))}`);
    const sep = s.style === 'spaceDelimited' ? '%20' : s.style === 'pipeDelimited' ? '%7C' : ',';
    return [`${n}=${pairs.map(([k, v]) => `${enc(k)}${sep}${enc(text(v))}`).join(sep)}`];
  }
  return [`${n}=${enc(text(value))}`];
}

/** deepObject: `name[key]=value`, nested objects nesting their brackets and arrays repeating the key (the common reading; OpenAPI leaves nesting undefined). */
function deepPairs(prefix: string, value: unknown): string[] {
  if (isPlainObject(value)) return members(value).flatMap(([k, v]) => deepPairs(`${prefix}[${k}]`, v));
  if (Array.isArray(value)) return value.flatMap((v) => deepPairs(prefix, v));
  return [`${pct(prefix)}=${pct(text(value))}`];
}

/** A header value (simple style; headers are not percent-encoded). */
function headerValue(value: unknown, s: Serialization): string {
  return pathValue('', value, { ...s, style: 'simple' }, (t) => t);
}

/** The `name=value` cookie pairs a cookie parameter adds (form style; values percent-encoded so they are valid cookie octets). */
function cookiePairs(name: string, value: unknown, s: Serialization): string[] {
  const enc = (t: string) => pct(t);
  if (s.contentType !== null) return [`${name}=${enc(asMedia(value, s.contentType))}`];
  if (Array.isArray(value)) {
    if (s.explode) return value.map((v) => `${name}=${enc(text(v))}`);
    return [`${name}=${value.map((v) => enc(text(v))).join(',')}`];
  }
  if (isPlainObject(value)) {
    const pairs = members(value);
    if (s.explode) return pairs.map(([k, v]) => `${k}=${enc(text(v))}`);
    return [`${name}=${pairs.map(([k, v]) => `${enc(k)},${enc(text(v))}`).join(',')}`];
  }
  return [`${name}=${enc(text(value))}`];
}

// Control characters would split or corrupt a header: refused, never sent.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const HEADER_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** The request target and parameter headers of an execute_call, each parameter written in its declared style. */
export function serializeParams(
  template: string,
  parameters: readonly Parameter[],
  parts: CallParts,
): { path: string; headers: Record<string, string> } | { issues: ArgumentIssue[] } {
  const declared = new Map<string, Parameter>();
  for (const p of parameters) declared.set(`${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`, p);
  const spec = (where: Parameter['in'], name: string): Serialization =>
    serializationOf(declared.get(`${where}:${name}`) ?? { name, in: where, required: false });

  const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => pathValue(name, parts.path[name], spec('path', name), (t) => pct(t)));
  const query: string[] = [];
  for (const [name, value] of Object.entries(parts.query)) {
    if (value === undefined || value === null) continue;
    query.push(...queryPairs(name, value, spec('query', name)));
  }
  const headers: Record<string, string> = {};
  const issues: ArgumentIssue[] = [];
  for (const [name, value] of Object.entries(parts.headers)) {
    if (value === undefined || value === null) continue;
    const v = headerValue(value, spec('header', name));
    if (HEADER_UNSAFE.test(v)) issues.push({ path: `params.headers.${name}`, message: 'must not contain control characters such as line breaks' });
    else headers[name] = v;
  }
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(parts.cookies)) {
    if (value === undefined || value === null) continue;
    cookies.push(...cookiePairs(name, value, spec('cookie', name)));
  }
  if (issues.length > 0) return { issues };
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  return { path: query.length > 0 ? `${path}?${query.join('&')}` : path, headers };
}
