import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type CheckingUpstream, startCheckingUpstream } from '../support/checking-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

let t: TestGatehouse;
let up: CheckingUpstream;
let client: Client;
let token: string;
let collectionId: string;
const LOCAL = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
const run = <T = any>(op: string, input: unknown) => t.gh.executor.dispatch(op, input, LOCAL) as Promise<T>;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);

/** A description whose operations take every kind of request body. */
const BODIES = {
  openapi: '3.1.0',
  info: { title: 'Bodies', version: '1' },
  paths: {
    '/files': {
      post: {
        operationId: 'uploadFile',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['title', 'file'],
                properties: {
                  title: { type: 'string' },
                  tags: { type: 'array', items: { type: 'string' } },
                  file: { type: 'string', format: 'binary' },
                  attachments: { type: 'array', items: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
    '/login': {
      post: {
        operationId: 'login',
        requestBody: {
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['username'],
                properties: { username: { type: 'string' }, scope: { type: 'array', items: { type: 'string' } } },
              },
            },
          },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
    '/notes/{id}': {
      put: {
        operationId: 'putNote',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
    '/blobs/{id}': {
      put: {
        operationId: 'putBlob',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

async function importDoc(document: unknown, basePath: string): Promise<any> {
  return run('proxies.import-openapi', { collectionId, document, basePath, upstreams: [up.url] });
}

async function tool(name: string, args: Record<string, unknown>): Promise<any> {
  return client.callTool({ name, arguments: args });
}

async function rest(method: string, path: string, init: { body?: any; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.gh.urls.proxy}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...init.headers }, body: init.body });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

beforeAll(async () => {
  up = await startCheckingUpstream({
    '/files': 'multipart/form-data',
    '/login': 'application/x-www-form-urlencoded',
    '/notes': 'text/plain',
    '/blobs': 'application/octet-stream',
    '/photos': 'multipart/form-data',
  });
  t = await startTestGatehouse('sqlite');
  collectionId = (await run('collections.create', { slug: 'described', name: 'Described APIs', published: true })).id;
  await importDoc(BODIES, '/bodies');
  const c = await run('clients.create', { name: 'agent', collectionIds: [collectionId] });
  const p = await run('profiles.create', { clientId: c.id, name: 'default', authType: 'token' });
  token = (await run('credentials.issue', { profileId: p.id })).token;
  client = new Client({ name: 'descriptions-test', version: '1' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
  await up?.close();
});

describe('request bodies of every media type', () => {
  it('execute_call sends multipart/form-data with fields and files (base64 and text), the boundary built by the gateway', async () => {
    const contract = await tool('inspect_contract', { endpoint: 'POST /bodies/files' });
    expect(contract.structuredContent.requestBody).toMatchObject({ contentType: 'multipart/form-data', required: true });
    expect(contract.structuredContent.requestBody.howToSend).toMatch(/boundary/);
    expect(contract.structuredContent.executeCall.params.properties.body.properties.file.type).toEqual(['string', 'object']);

    const res = await tool('execute_call', {
      endpoint: 'POST /bodies/files',
      params: {
        body: {
          title: 'Logo',
          tags: ['a', 'b'],
          file: { base64: PNG.toString('base64'), filename: 'logo.png', contentType: 'image/png' },
          attachments: ['plain text file', { text: 'second', filename: 'notes.txt' }],
        },
      },
    });
    expect(res.isError).toBeFalsy();
    const seen = res.structuredContent.body;
    expect(seen.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.fields).toEqual({ title: ['Logo'], tags: ['a', 'b'] });
    expect(seen.files).toEqual([
      { field: 'file', filename: 'logo.png', type: 'image/png', size: PNG.length, base64: PNG.toString('base64') },
      { field: 'attachments', filename: 'attachments', type: 'text/plain', size: 15, base64: Buffer.from('plain text file').toString('base64') },
      { field: 'attachments', filename: 'notes.txt', type: 'text/plain', size: 6, base64: Buffer.from('second').toString('base64') },
    ]);
  });

  it('execute_call refuses a file given neither as base64 nor text, and a missing required field, naming each', async () => {
    const res = await tool('execute_call', { endpoint: 'POST /bodies/files', params: { body: { file: { filename: 'x' } } } });
    expect(res.isError).toBe(true);
    expect(res.structuredContent.error.details.map((d: any) => d.path)).toContain('params.body.title');
    const none = await tool('execute_call', { endpoint: 'POST /bodies/files', params: { body: { title: 'x', file: { filename: 'x' } } } });
    expect(none.structuredContent.error.details).toEqual([{ path: 'params.body.file', message: 'must have exactly one of base64 or text' }]);
  });

  it('multipart through REST reaches the upstream as the caller built it', async () => {
    const form = new FormData();
    form.append('title', 'From REST');
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
    const res = await rest('POST', '/bodies/files', { body: form });
    expect(res.status).toBe(200);
    expect(res.body.fields).toEqual({ title: ['From REST'] });
    expect(res.body.files[0]).toMatchObject({ field: 'file', filename: 'logo.png', size: PNG.length });
  });

  it('form-urlencoded, text and binary bodies through execute_call and REST', async () => {
    const form = await tool('execute_call', { endpoint: 'POST /bodies/login', params: { body: { username: 'ada', scope: ['read', 'write'] } } });
    expect(form.structuredContent.body).toMatchObject({
      contentType: 'application/x-www-form-urlencoded',
      form: { username: ['ada'], scope: ['read', 'write'] },
    });
    const restForm = await rest('POST', '/bodies/login', { body: new URLSearchParams({ username: 'bob' }) });
    expect(restForm.body.form).toEqual({ username: ['bob'] });

    const text = await tool('execute_call', { endpoint: 'PUT /bodies/notes/{id}', params: { path: { id: 'n1' }, body: 'hello\nworld' } });
    expect(text.structuredContent.body).toMatchObject({ url: '/notes/n1', contentType: 'text/plain', text: 'hello\nworld' });
    const wrong = await tool('execute_call', { endpoint: 'PUT /bodies/notes/{id}', params: { path: { id: 'n1' }, body: { not: 'text' } } });
    expect(wrong.structuredContent.error.details[0].path).toBe('params.body');

    const blob = await tool('execute_call', { endpoint: 'PUT /bodies/blobs/{id}', params: { path: { id: 'b1' }, body: PNG.toString('base64') } });
    expect(blob.structuredContent.body).toMatchObject({ contentType: 'application/octet-stream', base64: PNG.toString('base64') });
    const notBase64 = await tool('execute_call', { endpoint: 'PUT /bodies/blobs/{id}', params: { path: { id: 'b1' }, body: 'not base64!' } });
    expect(notBase64.structuredContent.error.details[0].path).toBe('params.body');
    const restBlob = await rest('PUT', '/bodies/blobs/b2', { body: PNG, headers: { 'content-type': 'application/octet-stream' } });
    expect(restBlob.body.base64).toBe(PNG.toString('base64'));
  });

  it('a binary body over the proxy limit is refused before it is sent, naming the limit', async () => {
    const proxy = (await run('proxies.list', { limit: 10 })).items.find((p: any) => p.basePath === '/bodies');
    await run('proxies.update', { id: proxy.id, maxRequestBodyBytes: 8 });
    const before = up.received.length;
    let res: any;
    for (let i = 0; i < 50; i++) {
      res = await tool('execute_call', { endpoint: 'PUT /bodies/blobs/{id}', params: { path: { id: 'b1' }, body: PNG.toString('base64') } });
      if (res.isError) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(res.structuredContent.error.details).toEqual([{ path: 'params.body', message: `is ${PNG.length} bytes; this endpoint accepts at most 8` }]);
    expect(up.received.length).toBeLessThanOrEqual(before + 1);
    await run('proxies.update', { id: proxy.id, maxRequestBodyBytes: 1_048_576 });
  });
});

const ok = { responses: { '200': { description: 'ok' } } };
const named = { parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], ...ok };
const byId = { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], ...ok };

/** Path shapes real descriptions have: a colon verb, a parameter inside a segment, trailing slashes, fragments. */
const PATHS = {
  openapi: '3.0.3',
  info: { title: 'Paths', version: '1' },
  paths: {
    '/v1/{name}': { get: { operationId: 'getThing', ...named } },
    '/v1/{name}:batchGet': { get: { operationId: 'batchGet', ...named } },
    '/v1/projects:search': { post: { operationId: 'search', ...ok } },
    '/docs/{id}.json': { get: { operationId: 'fileJson', ...byId } },
    '/status/': { get: { operationId: 'status', ...ok } },
    '/health': { get: { operationId: 'health', ...ok } },
    '/#X-Amz-Target=Things.ListThings': { post: { operationId: 'listThings', ...ok } },
    '/pairs/{a}{b}': { get: { operationId: 'pair', ...ok } },
  },
};

describe('path shapes', () => {
  let imported: any;
  beforeAll(async () => {
    imported = await importDoc(PATHS, '/paths');
  });

  it('imports colon verbs, in-segment parameters and trailing slashes; skips the rest with the true reason, in skipped and warnings', () => {
    expect(imported.counts).toMatchObject({ created: 6, skipped: 2 });
    const reasons = Object.fromEntries(imported.skipped.map((s: any) => [`${s.method} ${s.path}`, s.reason]));
    expect(reasons['POST /#X-Amz-Target=Things.ListThings']).toMatch(/fragment .* never sends/);
    expect(reasons['GET /pairs/{a}{b}']).toMatch(/next to each other/);
    expect(imported.warnings.filter((w: string) => w.includes('was not imported'))).toHaveLength(2);
  });

  it('routes them through REST, forwarding the trailing slash as the document has it', async () => {
    const cases: Array<[string, string]> = [
      ['/paths/v1/projects:batchGet', '/v1/projects:batchGet'],
      ['/paths/v1/projects', '/v1/projects'],
      ['/paths/docs/42.json', '/docs/42.json'],
      ['/paths/status', '/status/'],
      ['/paths/status/', '/status/'],
      ['/paths/health/', '/health'],
      ['/paths/health?verbose=1', '/health?verbose=1'],
    ];
    for (const [path, upstream] of cases) {
      const res = await rest('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.body.url, path).toBe(upstream);
    }
    expect((await rest('POST', '/paths/v1/projects:search')).body.url).toBe('/v1/projects:search');
    expect((await rest('GET', '/paths/docs/42.xml')).status).toBe(404);
  });

  it('routes them through execute_call', async () => {
    const batch = await tool('execute_call', { endpoint: 'GET /paths/v1/{name}:batchGet', params: { path: { name: 'p1' } } });
    expect(batch.structuredContent.body.url).toBe('/v1/p1:batchGet');
    const file = await tool('execute_call', { endpoint: 'GET /paths/docs/{id}.json', params: { path: { id: 7 } } });
    expect(file.structuredContent.body.url).toBe('/docs/7.json');
    const status = await tool('execute_call', { endpoint: 'GET /paths/status/' });
    expect(status.structuredContent.body.url).toBe('/status/');
  });

  it('an import that creates nothing says so instead of answering with an empty collection', async () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 'AWS style', version: '1' },
      paths: { '/#X-Amz-Target=A.B': { post: ok }, '/#X-Amz-Target=A.C': { post: ok } },
    };
    const res = await call(t.api, t.adminToken, 'POST', `/collections/${collectionId}/import-openapi`, {
      document: doc,
      basePath: '/aws',
      upstreams: [up.url],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('GATEHOUSE_OPENAPI_NOTHING_TO_IMPORT');
    expect(res.body.error.message).toMatch(
      /None of the document's 2 operations were imported; the first skipped: POST \/#X-Amz-Target=A.B: the path has a fragment/,
    );
    expect(res.body.error.details).toHaveLength(2);
    const empty = await call(t.api, t.adminToken, 'POST', `/collections/${collectionId}/import-openapi`, {
      document: { openapi: '3.0.3', info: { title: 'Empty', version: '1' }, paths: {} },
      basePath: '/empty',
      upstreams: [up.url],
    });
    expect(empty.body.error).toMatchObject({ code: 'GATEHOUSE_OPENAPI_NOTHING_TO_IMPORT', message: 'The document has no operations: nothing was imported.' });
  });
});

/** A tree whose nodes hold nodes, and a mutual recursion (a folder holds files, a file names its folder). */
const RECURSIVE = {
  openapi: '3.1.0',
  info: { title: 'Trees', version: '1' },
  paths: {
    '/trees': {
      post: {
        operationId: 'createTree',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Folder' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Node: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
        additionalProperties: false,
      },
      Folder: { type: 'object', properties: { files: { type: 'array', items: { $ref: '#/components/schemas/File' } } } },
      File: { type: 'object', properties: { name: { type: 'string' }, folder: { $ref: '#/components/schemas/Folder' } } },
    },
  },
};

describe('recursive schemas', () => {
  let imported: any;
  beforeAll(async () => {
    imported = await importDoc(RECURSIVE, '/trees');
  });

  it('are kept as JSON Schema $defs and $ref, and the import reports them', async () => {
    expect(imported.recursiveSchemas).toEqual(['File', 'Folder', 'Node']);
    expect(imported.warnings).toContain('3 recursive schema(s) kept as JSON Schema $defs and $ref: File, Folder, Node');
    const contract = (await tool('inspect_contract', { endpoint: 'POST /trees/trees' })).structuredContent;
    expect(contract.requestBody.schema.properties.children.items).toEqual({ $ref: '#/$defs/Node' });
    expect(contract.requestBody.schema.$defs.Node.properties.children.items).toEqual({ $ref: '#/$defs/Node' });
    expect(contract.responses['200'].$defs.Folder.properties.files.items.properties.folder).toEqual({ $ref: '#/$defs/Folder' });
    // The execute_call schema resolves the same references from its own root.
    expect(contract.executeCall.params.$defs.Node).toBeDefined();
    expect(contract.executeCall.params.properties.body.properties.children.items).toEqual({ $ref: '#/$defs/Node' });
  });

  it('execute_call validates through the recursion and sends the tree; REST sends it as is', async () => {
    const tree = { name: 'root', children: [{ name: 'a', children: [{ name: 'a1' }] }, { name: 'b' }] };
    const sent = await tool('execute_call', { endpoint: 'POST /trees/trees', params: { body: tree } });
    expect(sent.structuredContent.body.json).toEqual(tree);
    const bad = await tool('execute_call', { endpoint: 'POST /trees/trees', params: { body: { name: 'root', children: [{ children: [{ name: 1 }] }] } } });
    expect(bad.structuredContent.error.details.map((d: any) => d.path).sort()).toEqual([
      'params.body.children.0.children.0.name',
      'params.body.children.0.name',
    ]);
    const viaRest = await rest('POST', '/trees/trees', { body: JSON.stringify(tree), headers: { 'content-type': 'application/json' } });
    expect(viaRest.body.json).toEqual(tree);
  });
});

/** A Swagger 2.0 description, as most public and enterprise descriptions still are. */
const SWAGGER = {
  swagger: '2.0',
  info: { title: 'Petstore (Swagger 2.0)', version: '1.0' },
  host: 'petstore.example.com',
  basePath: '/v2',
  schemes: ['https'],
  consumes: ['application/json'],
  produces: ['application/json'],
  paths: {
    '/pets': {
      post: {
        operationId: 'addPet',
        parameters: [{ in: 'body', name: 'pet', required: true, schema: { $ref: '#/definitions/Pet' } }],
        responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
      },
      get: {
        operationId: 'findPets',
        parameters: [{ in: 'query', name: 'status', type: 'array', items: { type: 'string', enum: ['available', 'sold'] }, collectionFormat: 'multi' }],
        responses: { '200': { description: 'ok', schema: { type: 'array', items: { $ref: '#/definitions/Pet' } } } },
      },
    },
    '/photos/{petId}': {
      post: {
        operationId: 'uploadPhoto',
        consumes: ['multipart/form-data'],
        parameters: [
          { in: 'path', name: 'petId', required: true, type: 'integer' },
          { in: 'formData', name: 'caption', type: 'string' },
          { in: 'formData', name: 'file', type: 'file', required: true },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  definitions: {
    Pet: {
      type: 'object',
      required: ['name'],
      properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string' }, tag: { type: 'string', 'x-nullable': true } },
    },
  },
};

describe('Swagger 2.0', () => {
  let imported: any;
  beforeAll(async () => {
    const res = await call(t.api, t.adminToken, 'POST', `/collections/${collectionId}/import-openapi`, {
      document: JSON.stringify(SWAGGER),
      basePath: '/petstore',
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
    imported = res.body;
  });

  it('is converted on import, with the conversion reported', async () => {
    expect(imported.document).toMatchObject({ openapi: expect.stringMatching(/^3\.0\./), title: 'Petstore (Swagger 2.0)' });
    expect(imported.counts).toMatchObject({ created: 3, skipped: 0 });
    expect(imported.warnings[0]).toMatch(/^Swagger 2.0 converted to OpenAPI 3\.0\.\d+ on import/);
    // The server comes from host, basePath and schemes.
    expect(imported.proxy.upstreams).toEqual(['https://petstore.example.com/v2']);
    const contract = (await tool('inspect_contract', { endpoint: 'POST /petstore/photos/{petId}' })).structuredContent;
    expect(contract.requestBody).toMatchObject({ contentType: 'multipart/form-data', schema: { properties: { file: { type: 'string', format: 'binary' } } } });
  });

  it('its operations run through execute_call and REST: JSON body, multi query, multipart upload', async () => {
    const proxy = imported.proxy;
    await run('proxies.update', { id: proxy.id, upstreams: [up.url] });
    let added: any;
    for (let i = 0; i < 50; i++) {
      added = await tool('execute_call', { endpoint: 'POST /petstore/pets', params: { body: { name: 'Rex', tag: null } } });
      if (added.structuredContent.body?.url === '/pets') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(added.structuredContent.body).toMatchObject({ url: '/pets', contentType: 'application/json', json: { name: 'Rex', tag: null } });
    const found = await tool('execute_call', { endpoint: 'GET /petstore/pets', params: { query: { status: ['available', 'sold'] } } });
    expect(found.structuredContent.body.url).toBe('/pets?status=available&status=sold');
    const photo = await tool('execute_call', {
      endpoint: 'POST /petstore/photos/{petId}',
      params: { path: { petId: 3 }, body: { caption: 'Rex', file: { base64: PNG.toString('base64'), filename: 'rex.png', contentType: 'image/png' } } },
    });
    expect(photo.structuredContent.body).toMatchObject({
      url: '/photos/3',
      fields: { caption: ['Rex'] },
      files: [{ field: 'file', filename: 'rex.png', size: PNG.length }],
    });
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'rex.png');
    const viaRest = await rest('POST', '/petstore/photos/4', { body: form });
    expect(viaRest.body).toMatchObject({ url: '/photos/4', files: [{ field: 'file', filename: 'rex.png' }] });
  });
});

describe('request logs by channel', () => {
  it('?channel=rest|mcp narrows the request-log search', async () => {
    const search = async (channel: string) => (await call(t.api, t.adminToken, 'GET', `/request-logs?channel=${channel}&limit=200`)).body.items as any[];
    let mcp: any[] = [];
    let viaRest: any[] = [];
    for (let i = 0; i < 100 && (mcp.length === 0 || viaRest.length === 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      [mcp, viaRest] = [await search('mcp'), await search('rest')];
    }
    expect(mcp.length).toBeGreaterThan(0);
    expect(viaRest.length).toBeGreaterThan(0);
    expect(new Set(mcp.map((r) => r.channel))).toEqual(new Set(['mcp']));
    expect(new Set(viaRest.map((r) => r.channel))).toEqual(new Set(['rest']));
    expect((await call(t.api, t.adminToken, 'GET', '/request-logs?channel=smtp')).status).toBe(400);
  });
});
