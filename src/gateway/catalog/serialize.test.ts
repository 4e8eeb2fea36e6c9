import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../core/index.js';
import type { CallParts } from './call-parts.js';
import { pct, serializationOf, serializeParams } from './serialize.js';

const parts = (over: Partial<CallParts>): CallParts => ({ path: {}, query: {}, headers: {}, cookies: {}, body: undefined, hasBody: false, ...over });

describe('parameter serialization', () => {
  it('percent-encodes values as RFC 3986 asks, keeping reserved characters only under allowReserved', () => {
    expect(pct("a b/c?d&e=f#g[h]!'()*é")).toBe('a%20b%2Fc%3Fd%26e%3Df%23g%5Bh%5D%21%27%28%29%2A%C3%A9');
    expect(pct('a b/c?d:e@f,g;h&i=j#k[l]+m%2F%zz', true)).toBe('a%20b/c?d:e@f,g;h%26i%3Dj%23k%5Bl%5D%2Bm%2F%25zz');
    expect(pct('😀')).toBe('%F0%9F%98%80');
  });

  it('writes a path parameter into its segment, inside other text too', () => {
    const p: Parameter = { name: 'id', in: 'path', required: true, style: 'label', explode: true };
    expect(serializeParams('/v1/files/{id}.json', [p], parts({ path: { id: ['a', 'b c'] } }))).toEqual({ path: '/v1/files/.a.b%20c.json', headers: {} });
  });

  it('leaves out query, header and cookie values that are null, and empty arrays and objects in the query', () => {
    const declared: Parameter[] = [
      { name: 'a', in: 'query', required: false },
      { name: 'b', in: 'query', required: false },
      { name: 'c', in: 'query', required: false },
      { name: 'x-h', in: 'header', required: false },
    ];
    expect(serializeParams('/x', declared, parts({ query: { a: null, b: [], c: {} }, headers: { 'x-h': null } }))).toEqual({ path: '/x', headers: {} });
  });

  it('refuses header values with line breaks instead of sending them', () => {
    const h: Parameter = { name: 'X-Note', in: 'header', required: false };
    expect(serializeParams('/x', [h], parts({ headers: { 'x-note': 'a\r\nSet-Cookie: x=1' } }))).toEqual({
      issues: [{ path: 'params.headers.x-note', message: 'must not contain control characters such as line breaks' }],
    });
  });

  it('nests deepObject brackets and writes a content parameter as its media type', () => {
    const declared: Parameter[] = [
      { name: 'filter', in: 'query', required: false, style: 'deepObject', explode: true },
      { name: 'where', in: 'query', required: false, contentType: 'application/json' },
    ];
    const out = serializeParams('/x', declared, parts({ query: { filter: { a: { b: 1 }, c: ['x', 'y'] }, where: { lat: 1 } } }));
    expect(out).toEqual({ path: '/x?filter%5Ba%5D%5Bb%5D=1&filter%5Bc%5D=x&filter%5Bc%5D=y&where=%7B%22lat%22%3A1%7D', headers: {} });
  });
});

describe('the OpenAPI specification’s style examples (3.1.1 §4.8.12.6), every style × explode × value', () => {
  // `color` as "" / "blue" / ["blue","black","brown"] / {R:100,G:200,B:150}; null where the specification says n/a.
  type Where = Parameter['in'];
  const ROWS: Array<[Where, NonNullable<Parameter['style']>, boolean, string | null, string | null, string | null, string | null]> = [
    ['path', 'matrix', false, ';color', ';color=blue', ';color=blue,black,brown', ';color=R,100,G,200,B,150'],
    ['path', 'matrix', true, ';color', ';color=blue', ';color=blue;color=black;color=brown', ';R=100;G=200;B=150'],
    // Comma-separated unexploded label lists as RFC 6570 says (3.0.3's table had dots by mistake; fixed in 3.0.4 and 3.1.1).
    ['path', 'label', false, '.', '.blue', '.blue,black,brown', '.R,100,G,200,B,150'],
    ['path', 'label', true, '.', '.blue', '.blue.black.brown', '.R=100.G=200.B=150'],
    ['path', 'simple', false, '', 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
    ['path', 'simple', true, '', 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
    ['query', 'form', false, '?color=', '?color=blue', '?color=blue,black,brown', '?color=R,100,G,200,B,150'],
    ['query', 'form', true, '?color=', '?color=blue', '?color=blue&color=black&color=brown', '?R=100&G=200&B=150'],
    ['query', 'spaceDelimited', false, null, null, '?color=blue%20black%20brown', '?color=R%20100%20G%20200%20B%20150'],
    ['query', 'pipeDelimited', false, null, null, '?color=blue%7Cblack%7Cbrown', '?color=R%7C100%7CG%7C200%7CB%7C150'],
    ['query', 'deepObject', true, null, null, null, '?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150'],
    ['header', 'simple', false, '', 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
    ['header', 'simple', true, '', 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
    // Cookie pairs are joined by "; " where the query joins them by "&".
    ['cookie', 'form', false, 'color=', 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
    ['cookie', 'form', true, 'color=', 'color=blue', 'color=blue; color=black; color=brown', 'R=100; G=200; B=150'],
  ];
  const VALUES: Array<[string, unknown]> = [
    ['empty', ''],
    ['string', 'blue'],
    ['array', ['blue', 'black', 'brown']],
    ['object', { R: 100, G: 200, B: 150 }],
  ];
  const cases = ROWS.flatMap(([where, style, explode, ...expected]) =>
    VALUES.flatMap(([kind, value], i) => (expected[i] === null ? [] : [{ where, style, explode, kind, value, expected: expected[i]! }])),
  );

  it.each(cases)('$where $style explode=$explode $kind → $expected', ({ where, style, explode, value, expected }) => {
    const p: Parameter = { name: 'color', in: where, required: where === 'path', style, explode };
    const at = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' } as const;
    const out = serializeParams(where === 'path' ? '/x/{color}' : '/x', [p], parts({ [at[where]]: { color: value } }));
    if ('issues' in out) throw new Error(JSON.stringify(out.issues));
    const seen = { path: out.path.slice(3), query: out.path.slice(2), header: out.headers.color, cookie: out.headers.cookie }[where];
    expect(seen).toBe(expected);
  });

  it('fills in each location’s default: simple in the path and headers, form (exploded) in the query and cookies', () => {
    for (const [where, style, explode] of [
      ['path', 'simple', false],
      ['header', 'simple', false],
      ['query', 'form', true],
      ['cookie', 'form', true],
    ] as const)
      expect(serializationOf({ name: 'c', in: where, required: false })).toMatchObject({ style, explode });
  });

  it('writes the Swagger 2.0 collection formats kept on import (csv, ssv, tsv, pipes, multi)', () => {
    const q = (name: string, collectionFormat?: Parameter['collectionFormat'], style?: Parameter['style'], explode?: boolean): Parameter => ({
      name,
      in: 'query',
      required: false,
      ...(collectionFormat ? { collectionFormat } : {}),
      ...(style ? { style } : {}),
      ...(explode !== undefined ? { explode } : {}),
    });
    const declared = [
      q('csv', undefined, 'form', false), // csv, the default, is imported as form without explode
      q('ssv', undefined, 'spaceDelimited', false),
      q('tsv', 'tsv'),
      q('pipes', undefined, 'pipeDelimited', false),
      q('multi', undefined, 'form', true),
      { name: 'p', in: 'path', required: true, collectionFormat: 'ssv' } as Parameter,
      { name: 'X-H', in: 'header', required: false, collectionFormat: 'pipes' } as Parameter,
    ];
    const a = ['x', 'y'];
    const out = serializeParams('/{p}', declared, parts({ path: { p: a }, query: { csv: a, ssv: a, tsv: a, pipes: a, multi: a }, headers: { 'x-h': a } }));
    expect(out).toEqual({ path: '/x%20y?csv=x,y&ssv=x%20y&tsv=x%09y&pipes=x%7Cy&multi=x&multi=y', headers: { 'x-h': 'x|y' } });
  });
});
