import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../core/index.js';
import { readParams } from './deserialize.js';
import { serializeParams } from './serialize.js';
import { pathParams } from '../workflows/variables.js';

const ARRAY = ['blue', 'black', 'brown'];
const OBJECT = { R: '100', G: '200', B: '150' };
const SCHEMAS = { array: { type: 'array' }, object: { type: 'object' } };

type Combo = [Parameter['in'], NonNullable<Parameter['style']>, boolean];
const COMBOS: Combo[] = [
  ['path', 'simple', false],
  ['path', 'simple', true],
  ['path', 'label', false],
  ['path', 'label', true],
  ['path', 'matrix', false],
  ['path', 'matrix', true],
  ['query', 'form', false],
  ['query', 'form', true],
  ['query', 'spaceDelimited', false],
  ['query', 'pipeDelimited', false],
  ['header', 'simple', false],
  ['header', 'simple', true],
];

/** Serializes a value as execute_call does, then reads the request back as validate_request does. */
function roundTrip(p: Parameter, value: unknown): unknown {
  const key = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' }[p.in];
  const wire = serializeParams(p.in === 'path' ? '/x/{color}' : '/x', [p], {
    path: {},
    query: {},
    headers: {},
    cookies: {},
    body: undefined,
    hasBody: false,
    [key]: { [p.name]: value },
  });
  if ('issues' in wire) throw new Error('not serialized');
  const [path, query = ''] = wire.path.split('?');
  const read = readParams([p], { path: pathParams('/x/{color}', path!), query: `?${query}`, headers: wire.headers });
  return p.in === 'path' ? read.path[p.name] : p.in === 'query' ? read.query[p.name] : read.headers[p.name];
}

describe('reading parameters back by their styles', () => {
  it.each(
    COMBOS.flatMap(([where, style, explode]) =>
      (['array', 'object'] as const).map((shape) => [`${where} ${style} ${explode} ${shape}`, where, style, explode, shape] as const),
    ),
  )('%s round-trips', (_name, where, style, explode, shape) => {
    if (where === 'query' && style === 'form' && explode && shape === 'object') return; // covered below: its members lose their name
    const p: Parameter = { name: 'color', in: where, required: where === 'path', style, explode, schema: SCHEMAS[shape] };
    expect(roundTrip(p, shape === 'array' ? ARRAY : OBJECT)).toEqual(shape === 'array' ? ARRAY : OBJECT);
  });

  it('reads deepObject, exploded form objects and Swagger 2.0 tsv', () => {
    const deep: Parameter = { name: 'color', in: 'query', required: false, style: 'deepObject', explode: true, schema: { type: 'object' } };
    expect(roundTrip(deep, OBJECT)).toEqual(OBJECT);
    const exploded: Parameter = { name: 'color', in: 'query', required: false, schema: { type: 'object', properties: { R: {}, G: {}, B: {} } } };
    expect(roundTrip(exploded, OBJECT)).toEqual(OBJECT);
    const tsv: Parameter = { name: 'color', in: 'query', required: false, collectionFormat: 'tsv', schema: { type: 'array' } };
    expect(roundTrip(tsv, ARRAY)).toEqual(ARRAY);
  });

  it('leaves a value whole when its schema admits a string, and passes undeclared parameters through', () => {
    const p: Parameter = { name: 'q', in: 'query', required: false, schema: { type: ['string', 'array'] } };
    expect(readParams([p], { path: {}, query: '?q=a,b&other=1&other=2', headers: {} }).query).toEqual({ q: 'a,b', other: '1' });
  });

  it('keeps a caller’s __proto__ key as data', () => {
    const deep: Parameter = { name: 'f', in: 'query', required: false, style: 'deepObject', explode: true, schema: { type: 'object' } };
    const read = readParams([deep], { path: {}, query: '?f[__proto__][polluted]=1&f[a]=2', headers: {} }).query.f as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(read)).toEqual(['__proto__', 'a']);
  });
});
