import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../core/index.js';
import type { CallParts } from './call-parts.js';
import { pct, serializeParams } from './serialize.js';

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
