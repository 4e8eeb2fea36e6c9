import { FormData, Response } from 'undici';
import type { Endpoint } from '../../core/index.js';
import type { ArgumentIssue, CallParts } from './call-parts.js';
import { chooseContentType, isMediaRange } from './media-range.js';

type Json = Record<string, unknown>;

/** How a request body travels: what a model writes in `params.body` and what the gateway sends; `any` for a media range, decided per call. */
export type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'binary' | 'any';

const JSON_TYPE = /^application\/([\w.+-]*\+)?json$/;
const TEXT_TYPE = /^(text\/[\w.+-]+|application\/([\w.+-]*\+)?xml|application\/(javascript|yaml|x-yaml|x-ndjson|graphql|sql))$/;
const BASE64 = '^[A-Za-z0-9+/_-]*={0,2}$';
const BASE64_RE = new RegExp(BASE64);

/** The media type without parameters, lower-cased. */
export function baseType(type: string): string {
  return type.split(';')[0]!.trim().toLowerCase();
}

/** The body kind of a media type: JSON, form, multipart and text are written as such; anything else is bytes, given as base64. */
export function bodyKind(type: string | undefined): BodyKind {
  if (type === undefined) return 'json';
  if (isMediaRange(type)) return 'any';
  const base = baseType(type);
  if (JSON_TYPE.test(base)) return 'json';
  if (base === 'application/x-www-form-urlencoded') return 'form';
  if (base === 'multipart/form-data' || base === 'multipart/mixed') return 'multipart';
  if (TEXT_TYPE.test(base)) return 'text';
  return 'binary';
}

/** Whether a document schema describes bytes (a file part), as OpenAPI 3.0 and 3.1 spell it. */
function isBinary(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const s = schema as Json;
  return s.format === 'binary' || s.format === 'byte' || typeof s.contentMediaType === 'string' || s.contentEncoding === 'base64';
}

const FILE_INPUT: Json = {
  type: ['string', 'object'],
  description: 'A file: its text as a string, or {base64 | text, filename, contentType}.',
  properties: {
    base64: { type: 'string', pattern: BASE64, description: 'The file bytes, base64-encoded.' },
    text: { type: 'string', description: 'The file content as text.' },
    filename: { type: 'string', maxLength: 255 },
    contentType: { type: 'string', maxLength: 200 },
  },
  additionalProperties: false,
};

/** The schema of `params.body` as a model writes it for this media type (files and bytes as base64 or text). */
export function wireBodySchema(schema: Json, type: string | undefined): Json {
  switch (bodyKind(type)) {
    case 'json':
    case 'form':
      return schema;
    case 'text':
      return { ...schema, type: 'string' };
    case 'any':
      // Its shape depends on the type the caller names; the document's schema (often "binary") would refuse JSON.
      return typeof schema.description === 'string' ? { description: schema.description } : {};
    case 'binary':
      return {
        type: 'string',
        contentEncoding: 'base64',
        pattern: BASE64,
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      };
    case 'multipart': {
      const properties = schema.properties;
      if (typeof properties !== 'object' || properties === null) return { ...schema, type: 'object' };
      const wire: Json = {};
      for (const [name, p] of Object.entries(properties as Json)) {
        const prop = p as Json;
        if (isBinary(prop)) wire[name] = { ...FILE_INPUT, ...(typeof prop.description === 'string' ? { description: prop.description } : {}) };
        else if (prop.type === 'array' && isBinary(prop.items)) wire[name] = { type: 'array', items: FILE_INPUT };
        else wire[name] = prop;
      }
      return { ...schema, type: 'object', properties: wire };
    }
  }
}

/** How a model fills `params.body` for this media type (and the others the endpoint also takes), for inspect_contract. */
export function bodyHowTo(type: string | undefined, others: readonly string[] = []): string {
  const alternatives = others.filter((t) => baseType(t) !== baseType(type ?? 'application/json'));
  const also =
    alternatives.length > 0
      ? ` It also takes ${alternatives.map(baseType).join(', ')}: name one in execute_call's contentType and write the body as that type (JSON as JSON, text as a string, bytes as base64).`
      : '';
  return bodyHowToOne(type) + also;
}

function bodyHowToOne(type: string | undefined): string {
  switch (bodyKind(type)) {
    case 'json':
      return 'The body as JSON.';
    case 'form':
      return 'An object of fields; the gateway sends it form-urlencoded (arrays repeat the field, objects are sent as JSON text).';
    case 'multipart':
      return 'An object of fields; a file is its text as a string, or {base64 | text, filename, contentType}. The gateway builds the multipart body and its boundary.';
    case 'text':
      return 'The body as a string, sent as it is.';
    case 'binary':
      return 'The bytes, base64-encoded in a string; the gateway sends them decoded.';
    case 'any':
      return `Any media type in ${baseType(type!)}: name the one you send in execute_call's contentType (then write the body as that type: JSON as JSON, text as a string, bytes as base64). Without it, a JSON object, array, number or boolean goes as application/json and a string as text/plain, where the range admits them.`;
  }
}

function scalar(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

function decode(text: string): Buffer {
  return Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
}

type Encoded = { body: Buffer | null; contentType: string | null } | { issues: ArgumentIssue[] };

function tooLarge(size: number, maxBytes: number): Encoded {
  return { issues: [{ path: 'params.body', message: `is ${size} bytes; this endpoint accepts at most ${maxBytes}` }] };
}

/** One multipart part: a file (from its text, or base64 bytes) or a plain field. */
function appendPart(form: FormData, name: string, value: unknown, file: boolean, where: string, issues: ArgumentIssue[]): void {
  if (value === undefined || value === null) return;
  if (!file) {
    form.append(name, scalar(value));
    return;
  }
  if (typeof value === 'string') {
    form.append(name, new Blob([value], { type: 'text/plain' }), name);
    return;
  }
  const f = value as { base64?: string; text?: string; filename?: string; contentType?: string };
  if ((f.base64 === undefined) === (f.text === undefined)) {
    issues.push({ path: where, message: 'must have exactly one of base64 or text' });
    return;
  }
  const bytes = f.base64 !== undefined ? decode(f.base64) : Buffer.from(f.text!);
  const type = f.contentType ?? (f.text !== undefined ? 'text/plain' : 'application/octet-stream');
  form.append(name, new Blob([bytes], { type }), f.filename ?? name);
}

async function multipart(schema: Json, body: Json): Promise<Encoded> {
  const properties = (schema.properties ?? {}) as Json;
  const form = new FormData();
  const issues: ArgumentIssue[] = [];
  for (const [name, value] of Object.entries(body)) {
    const prop = properties[name] as Json | undefined;
    const where = `params.body.${name}`;
    if (prop?.type === 'array' && Array.isArray(value)) {
      const files = isBinary(prop.items);
      for (const [i, item] of value.entries()) appendPart(form, name, item, files, `${where}.${i}`, issues);
    } else appendPart(form, name, value, isBinary(prop), where, issues);
  }
  if (issues.length > 0) return { issues };
  // undici writes the parts and picks the boundary, as a browser's fetch would.
  const res = new Response(form);
  return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') };
}

/**
 * The body bytes and content type of an execute_call, in the endpoint's media type (or, for a
 * declared range, the concrete type the caller names in `contentType`); bodies over `maxBytes` are refused.
 */
export async function encodeBody(doc: Endpoint, parts: CallParts, maxBytes: number, contentType?: unknown): Promise<Encoded> {
  if (!parts.hasBody) return { body: null, contentType: null };
  const chosen = chooseContentType(doc.requestContentType ?? 'application/json', contentType, parts.body, doc.requestContentTypes);
  if ('issues' in chosen) return chosen;
  const type = chosen.type;
  const kind = bodyKind(type);
  const value = parts.body;
  let out: Encoded;
  if (kind === 'multipart' && typeof value === 'object' && value !== null && !Array.isArray(value)) out = await multipart(doc.requestBody ?? {}, value as Json);
  else if (kind === 'form' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(value as Json)) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) form.append(k, scalar(item));
      else form.append(k, scalar(v));
    }
    out = { body: Buffer.from(form.toString()), contentType: type };
  } else if (kind === 'binary' && typeof value === 'string') {
    // The contract's schema checks this too, except where the type was chosen from a range.
    if (!BASE64_RE.test(value)) return { issues: [{ path: 'params.body', message: `must be base64 for ${baseType(type)}` }] };
    out = { body: decode(value), contentType: type };
  } else if (kind === 'text' && typeof value === 'string') out = { body: Buffer.from(value), contentType: type };
  else if (kind === 'json') out = { body: Buffer.from(JSON.stringify(value)), contentType: type };
  else {
    const wanted = kind === 'binary' || kind === 'text' ? 'a string' : 'an object';
    return { issues: [{ path: 'params.body', message: `must be ${wanted} for ${baseType(type)}` }] };
  }
  if ('body' in out && out.body !== null && out.body.length > maxBytes) return tooLarge(out.body.length, maxBytes);
  return out;
}
