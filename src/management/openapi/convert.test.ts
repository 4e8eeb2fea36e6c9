import { describe, expect, it } from 'vitest';
import { type ExpansionBudgets, expandEndpointSchemas } from '../../core/index.js';
import { ORDERS_OPENAPI } from '../../demo/orders-api.js';
import { type ConvertedDocument, convertDocument, remoteRefs } from './convert.js';
import { isPrivateAddress } from '../../gateway/net/index.js';
import { parseDocumentText } from './parse.js';

const base = (paths: Record<string, unknown>, components: Record<string, unknown> = {}) => ({
  openapi: '3.0.3',
  info: { title: 'T', version: '1' },
  servers: [{ url: 'https://api.example.com/{v}', variables: { v: { default: 'v2' } } }],
  paths,
  components,
});

/** An endpoint as the gateway sees it: its schemas expanded against the document's shared schemas. */
const expanded = (out: ConvertedDocument, i: number, budgets: ExpansionBudgets = {}) => expandEndpointSchemas(out.endpoints[i]!, out.schemas, budgets);

describe('convertDocument', () => {
  it('converts the demo document: parameters, dereferenced body and response schemas', () => {
    const out = convertDocument(ORDERS_OPENAPI);
    expect(out.errors).toEqual([]);
    expect(out.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /orders', 'POST /orders', 'GET /orders/{id}']);
    // Stored once, shared: the endpoints point at the schemas instead of copying them.
    expect(out.endpoints[1]!.requestBody).toEqual({ $ref: '#/$defs/NewOrder' });
    const create = expanded(out, 1);
    expect(create.requestBody).toMatchObject({ type: 'object', required: ['item', 'quantity'], properties: { quantity: { type: 'integer', minimum: 1 } } });
    expect(create.requestBodyRequired).toBe(true);
    expect(create.responses['201']).toMatchObject({ type: 'object', properties: { status: { enum: ['open', 'shipped'] } } });
    expect(out.endpoints[2]!.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(JSON.stringify([0, 1, 2].map((i) => expanded(out, i)))).not.toContain('$ref');
  });

  it('fills server variables, merges path-level parameters, normalizes 3.0 nullable and exclusive bounds', () => {
    const out = convertDocument(
      base(
        {
          '/items/{id}': {
            parameters: [{ $ref: '#/components/parameters/Id' }],
            get: {
              parameters: [
                { name: 'q', in: 'query', schema: { type: 'string', nullable: true } },
                { name: 'sid', in: 'cookie' },
                { name: 'tags', in: 'query', style: 'pipeDelimited', explode: false, allowReserved: true, schema: { type: 'array' } },
                { name: 'where', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } },
                { name: 'x-list', in: 'header', style: 'form', schema: { type: 'array' } },
              ],
              responses: { '200': { $ref: '#/components/responses/Item' } },
            },
          },
        },
        {
          parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 0, exclusiveMinimum: true } } },
          responses: { Item: { description: 'An item', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      ),
    );
    expect(out.errors).toEqual([]);
    expect(out.servers).toEqual(['https://api.example.com/v2']);
    const ep = expanded(out, 0);
    expect(ep.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer', exclusiveMinimum: 0 } },
      { name: 'q', in: 'query', required: false, schema: { type: ['string', 'null'] } },
      { name: 'sid', in: 'cookie', required: false },
      { name: 'tags', in: 'query', required: false, schema: { type: 'array' }, style: 'pipeDelimited', explode: false, allowReserved: true },
      { name: 'where', in: 'query', required: false, schema: { type: 'object' }, contentType: 'application/json' },
      { name: 'x-list', in: 'header', required: false, schema: { type: 'array' } },
    ]);
    // Serialization is kept as declared; a style the location cannot have is dropped with a warning, not a failed import.
    expect(out.warnings.join()).toContain('parameter x-list has style form, which header parameters cannot have');
    expect(ep.responses['200']).toEqual({ type: 'object', description: 'An item' });
  });

  it('keeps cycles as $defs and $ref, and stops at the size budget with a described stub', () => {
    const out = convertDocument(
      base(
        {
          '/nodes': {
            get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } },
          },
        },
        { schemas: { Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } } } },
      ),
    );
    expect(out.errors).toEqual([]);
    expect(expanded(out, 0).responses['200']).toEqual({
      type: 'object',
      description: 'ok',
      properties: { child: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } },
    });
    expect(out.recursiveSchemas).toEqual(['Node']);
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: 'object', properties: { x: { type: 'string' } } }])),
    };
    const small = convertDocument(base({ '/w': { post: { requestBody: { content: { 'application/json': { schema: wide } } }, responses: {} } } }));
    expect(JSON.stringify(expanded(small, 0, { maxInputNodes: 20 }).requestBody)).toContain('size limit');
  });

  it('keeps properties named like keywords (description, title, example, x-…) as schemas', () => {
    const schema = {
      type: 'object',
      properties: { description: { type: 'string' }, title: { type: 'string' }, example: { type: 'integer' }, 'x-id': { type: 'string' } },
    };
    const out = convertDocument(base({ '/p': { post: { requestBody: { content: { 'application/json': { schema } } }, responses: {} } } }));
    expect(out.endpoints[0]!.requestBody).toEqual(schema);
  });

  it('lists every problem of an invalid document instead of importing part of it', () => {
    const out = convertDocument({
      openapi: '3.1.0',
      info: { title: 'Bad', version: '1' },
      paths: {
        '/a': { get: { parameters: [{ name: 'x', in: 'body' }], responses: {} } },
        '/b': { post: { requestBody: { $ref: '#/components/requestBodies/Missing' }, responses: {} } },
        '/c/{id}': { get: { parameters: [{ name: 'other', in: 'path', required: true }], responses: { abc: {} } } },
        nope: {},
      },
    });
    expect(out.errors.map((e) => e.path)).toEqual([
      'paths./a.get.parameters.0.in',
      'paths./b.post.requestBody',
      'paths./c/{id}.get.parameters.0.name',
      'paths./c/{id}.get.responses.abc',
      'paths.nope',
    ]);
    expect(convertDocument({ swagger: '2.0' }).errors[0]!.message).toContain('Swagger 2.0 is not supported');
    expect(convertDocument({ openapi: '3.0.0', paths: {} }).errors).toEqual([{ path: 'info', message: expect.any(String) }]);
    expect(convertDocument('text').errors).toHaveLength(1);
  });

  it('skips what the gateway cannot route, saying why', () => {
    const out = convertDocument(
      base({
        '/files/{name}.json': { get: { responses: {} } },
        '/#X-Amz-Target=Svc.List': { post: { responses: {} } },
        '/t': { trace: { responses: {} } },
        '/a/{x}': { get: { responses: {} } },
        '/a/{y}': { get: { responses: {} } },
        '/teams/{team-slug}': { get: { responses: {} } },
      }),
    );
    expect(out.errors).toEqual([]);
    expect(out.skipped.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /#X-Amz-Target=Svc.List', 'TRACE /t', 'GET /a/{y}']);
    expect(out.skipped[0]!.reason).toMatch(/fragment/);
    expect(out.endpoints.map((e) => e.path)).toEqual(['/files/{name}.json', '/a/{x}', '/teams/{team-slug}']);
    expect(out.endpoints[2]!.parameters).toEqual([{ name: 'team-slug', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('finds remote references, and resolves them from supplied documents', () => {
    const doc = base({
      '/r': {
        get: { responses: { '200': { description: 'x', content: { 'application/json': { schema: { $ref: 'https://schemas.example.com/s.json#/Thing' } } } } } },
      },
    });
    expect(remoteRefs(doc, '')).toEqual(['https://schemas.example.com/s.json']);
    expect(convertDocument(doc).errors[0]!.message).toContain('remote document not available');
    const out = convertDocument(doc, { externals: new Map([['https://schemas.example.com/s.json', { Thing: { type: 'string' } }]]) });
    expect(expanded(out, 0).responses['200']).toEqual({ type: 'string', description: 'x' });
  });
});

describe('request bodies in several media types', () => {
  it('keep the JSON one as the default and every declared type as a choice', () => {
    const out = convertDocument(
      base({
        '/notes': {
          post: {
            requestBody: {
              content: { 'application/xml': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } }, 'text/plain': {} },
            },
            responses: { '201': { description: 'ok' } },
          },
          put: { requestBody: { content: { 'text/csv': {} } }, responses: { '200': { description: 'ok' } } },
        },
      }),
    );
    expect(out.endpoints[0]).toMatchObject({ requestBody: { type: 'object' }, requestContentTypes: ['application/xml', 'application/json', 'text/plain'] });
    expect(out.endpoints[0]!.requestContentType).toBeUndefined();
    expect(out.endpoints[1]).toMatchObject({ requestContentType: 'text/csv' });
    expect(out.endpoints[1]!.requestContentTypes).toBeUndefined();
  });
});

describe('parseDocumentText', () => {
  it('reads JSON and YAML and names syntax errors', async () => {
    expect(await parseDocumentText('{"openapi":"3.1.0"}')).toEqual({ openapi: '3.1.0' });
    expect(await parseDocumentText('openapi: 3.1.0\ninfo:\n  title: Y\n')).toEqual({ openapi: '3.1.0', info: { title: 'Y' } });
    await expect(parseDocumentText('{"openapi": ')).rejects.toMatchObject({ code: 'GATEHOUSE_OPENAPI_INVALID' });
    await expect(parseDocumentText('a: [1,\n')).rejects.toMatchObject({ code: 'GATEHOUSE_OPENAPI_INVALID' });
    await expect(parseDocumentText('  ')).rejects.toMatchObject({ code: 'GATEHOUSE_OPENAPI_INVALID' });
  });
});

describe('isPrivateAddress', () => {
  it('blocks loopback, private, link-local and metadata addresses; allows public ones', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.16.5.5', '169.254.169.254', '::1', 'fe80::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '0.0.0.0'])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '140.82.112.3', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
