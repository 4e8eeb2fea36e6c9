import { describe, expect, it } from 'vitest';
import { bodyKind, wireBodySchema } from './body.js';

describe('request body kinds', () => {
  it('classifies media types by how a model writes the body', () => {
    expect(bodyKind(undefined)).toBe('json');
    expect(bodyKind('application/vnd.api+json; charset=utf-8')).toBe('json');
    expect(bodyKind('application/x-www-form-urlencoded')).toBe('form');
    expect(bodyKind('multipart/form-data')).toBe('multipart');
    expect(bodyKind('text/csv')).toBe('text');
    expect(bodyKind('application/xml')).toBe('text');
    expect(bodyKind('application/octet-stream')).toBe('binary');
    expect(bodyKind('image/png')).toBe('binary');
  });

  it('turns file parts into file inputs and bytes into base64 strings', () => {
    const multipart = wireBodySchema({ type: 'object', properties: { a: { type: 'string' }, f: { type: 'string', format: 'binary' } } }, 'multipart/form-data');
    expect((multipart.properties as any).a).toEqual({ type: 'string' });
    expect((multipart.properties as any).f.type).toEqual(['string', 'object']);
    expect(wireBodySchema({ type: 'string', format: 'binary' }, 'application/pdf')).toMatchObject({ type: 'string', contentEncoding: 'base64' });
  });
});
