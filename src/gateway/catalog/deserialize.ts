import type { Parameter } from '../../core/index.js';
import { type Serialization, serializationOf } from './serialize.js';

/**
 * Reads a request's parameters back into values by their declared styles (the inverse of
 * serialize.ts), so the contract's schemas judge what the caller meant: `color=blue,black` against
 * an array schema is two items, `.blue` in a label path is "blue", `color[R]=100` is an object.
 * Only a schema that says array or object is split; anything else stays the string it arrived as.
 */

type Shape = 'array' | 'object' | 'primitive';

function shapeOf(schema: Record<string, unknown> | undefined): Shape {
  const type = schema?.type;
  const types = Array.isArray(type) ? type : [type];
  // A schema that also admits a string keeps the text whole: splitting it would be a guess.
  if (types.includes('string')) return 'primitive';
  if (types.includes('array')) return 'array';
  if (types.includes('object')) return 'object';
  return 'primitive';
}

/**
 * Sets an own property whatever its name: a caller's `__proto__` key is data, never the object's
 * prototype (nor, through it, Object.prototype).
 */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Alternating `k,v,k,v` items as an object. */
function pairs(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < items.length; i += 2) put(out, items[i]!, items[i + 1]!);
  return out;
}

/** `k=v` items as an object. */
function assignments(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq > 0) put(out, item.slice(0, eq), item.slice(eq + 1));
  }
  return out;
}

function media(text: string, s: Serialization): unknown {
  if (!/json/i.test(s.contentType!)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A path value (already cut from its segment and percent-decoded) by its style. */
function pathValue(name: string, text: string, s: Serialization, shape: Shape): unknown {
  if (s.contentType !== null) return media(text, s);
  let body = text;
  if (s.style === 'label' && body.startsWith('.')) body = body.slice(1);
  if (s.style === 'matrix') {
    // `;color=blue;color=black`, `;R=100;G=200`, `;color=blue,black`: the named items, or every assignment for an exploded object.
    const items = body.split(';').filter(Boolean);
    if (shape === 'object' && s.explode) return assignments(items);
    const own = items.filter((i) => i === name || i.startsWith(`${name}=`)).map((i) => i.slice(name.length + 1));
    if (shape === 'array' && s.explode) return own;
    body = own[0] ?? '';
  }
  const sep = s.delimiter ?? (s.style === 'label' && s.explode ? '.' : ',');
  if (shape === 'array') return body === '' ? [] : body.split(sep);
  if (shape === 'object') return s.explode ? assignments(body.split(sep)) : pairs(body.split(sep));
  return body;
}

/** deepObject: `name[a][b]=v` pairs as a nested object (a repeated key becomes a list). */
function deepObject(name: string, query: Array<[string, string]>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of query) {
    if (!key.startsWith(`${name}[`)) continue;
    const path = [...key.slice(name.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
    out ??= {};
    let node = out;
    for (const [i, k] of path.entries()) {
      const prev = Object.hasOwn(node, k) ? node[k] : undefined;
      if (i === path.length - 1) put(node, k, prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]);
      else {
        if (typeof prev !== 'object' || prev === null || Array.isArray(prev)) put(node, k, {});
        node = node[k] as Record<string, unknown>;
      }
    }
  }
  return out;
}

/** A query parameter's value from the request's (decoded) pairs, or undefined when absent. */
function queryValue(p: Parameter, query: Array<[string, string]>, others: ReadonlySet<string>): unknown {
  const s = serializationOf(p);
  const shape = shapeOf(p.schema);
  const own = query.filter(([k]) => k === p.name).map(([, v]) => v);
  if (s.contentType !== null) return own[0] === undefined ? undefined : media(own[0], s);
  if (s.style === 'deepObject') return deepObject(p.name, query) ?? own[0];
  if (s.explode && s.delimiter === null) {
    if (shape === 'array') return own.length > 0 ? own : undefined;
    if (shape === 'object') {
      // Exploded objects lose their name: their members are the pairs no other parameter claims.
      const props = p.schema?.properties;
      const mine = query.filter(([k]) => !others.has(k) && (typeof props !== 'object' || props === null || Object.hasOwn(props, k)));
      return mine.length > 0 ? Object.fromEntries(mine) : undefined; // fromEntries defines own properties, `__proto__` included
    }
    return own[0];
  }
  if (own[0] === undefined) return undefined;
  const sep = s.delimiter ?? (s.style === 'spaceDelimited' ? ' ' : s.style === 'pipeDelimited' ? '|' : ',');
  if (shape === 'array') return own[0] === '' ? [] : own[0].split(sep);
  if (shape === 'object') return pairs(own[0].split(sep));
  return own[0];
}

/** A header value by its style (simple; items trimmed, as header lists allow spaces after commas). */
function headerValue(p: Parameter, text: string): unknown {
  const s = serializationOf(p);
  if (s.contentType !== null) return media(text, s);
  const shape = shapeOf(p.schema);
  if (shape === 'primitive') return text;
  const items = text.split(s.delimiter ?? ',').map((i) => i.trim());
  if (shape === 'array') return text === '' ? [] : items;
  return s.explode ? assignments(items) : pairs(items);
}

/**
 * A request's `{path, query, headers}` for validation: declared parameters read by their styles,
 * undeclared query parameters and headers as they came (the first value of a repeated one).
 */
export function readParams(
  parameters: readonly Parameter[],
  raw: { path: Record<string, string>; query: string; headers: Record<string, string> },
): { path: Record<string, unknown>; query: Record<string, unknown>; headers: Record<string, unknown> } {
  const query: Array<[string, string]> = [...new URLSearchParams(raw.query.startsWith('?') ? raw.query.slice(1) : raw.query)];
  const declaredQuery = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
  const out = {
    path: { ...raw.path } as Record<string, unknown>,
    query: {} as Record<string, unknown>,
    headers: { ...raw.headers } as Record<string, unknown>,
  };
  for (const [k, v] of query) if (!declaredQuery.has(k) && !(k in out.query)) out.query[k] = v;
  for (const p of parameters) {
    if (p.in === 'path') {
      const text = raw.path[p.name];
      if (text !== undefined) out.path[p.name] = pathValue(p.name, text, serializationOf(p), shapeOf(p.schema));
    } else if (p.in === 'query') {
      const others = new Set([...declaredQuery].filter((n) => n !== p.name));
      const value = queryValue(p, query, others);
      if (value !== undefined) out.query[p.name] = value;
    } else if (p.in === 'header') {
      const name = p.name.toLowerCase();
      const text = raw.headers[name];
      if (text !== undefined) out.headers[name] = headerValue(p, text);
    }
  }
  return out;
}
