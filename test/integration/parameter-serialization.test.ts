import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type CheckingUpstream, type Received, startCheckingUpstream } from '../support/checking-upstream.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// execute_call must put parameters on the wire exactly as the description says. The values and the
// expected serializations are the OpenAPI specification's style examples (3.1.1, §4.8.12.6): a
// parameter `color` that is "blue", ["blue", "black", "brown"] or {R: 100, G: 200, B: 150}. The
// upstream records the raw request target and headers it receives.

let t: TestGatehouse;
let up: CheckingUpstream;
let client: Client;
let token: string;
const LOCAL = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
const run = <T = any>(op: string, input: unknown) => t.gh.executor.dispatch(op, input, LOCAL) as Promise<T>;

const STRING = 'blue';
const ARRAY = ['blue', 'black', 'brown'];
const OBJECT = { R: 100, G: 200, B: 150 };
const ANY = { type: ['string', 'array', 'object'] };
const ok = { responses: { '200': { description: 'ok' } } };

type Where = 'path' | 'query' | 'header' | 'cookie';
/** One row of the table: where, style, explode, and what the upstream sees for "" / string / array / object (null: n/a in the specification). */
type Row = [Where, string, boolean, string | null, string | null, string | null, string | null];

const ROWS: Row[] = [
  ['path', 'matrix', false, ';color', ';color=blue', ';color=blue,black,brown', ';color=R,100,G,200,B,150'],
  ['path', 'matrix', true, ';color', ';color=blue', ';color=blue;color=black;color=brown', ';R=100;G=200;B=150'],
  // RFC 6570 §3.2.5 (which the style table cites): unexploded label lists are comma-separated; 3.0.3's table said dots by mistake, fixed in 3.0.4 and 3.1.1.
  ['path', 'label', false, '.', '.blue', '.blue,black,brown', '.R,100,G,200,B,150'],
  ['path', 'label', true, '.', '.blue', '.blue.black.brown', '.R=100.G=200.B=150'],
  // An empty simple value leaves nothing of the parameter, which routes nowhere: not asked.
  ['path', 'simple', false, null, 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
  ['path', 'simple', true, null, 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
  ['query', 'form', false, 'color=', 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
  ['query', 'form', true, 'color=', 'color=blue', 'color=blue&color=black&color=brown', 'R=100&G=200&B=150'],
  ['query', 'spaceDelimited', false, null, null, 'color=blue%20black%20brown', 'color=R%20100%20G%20200%20B%20150'],
  ['query', 'pipeDelimited', false, null, null, 'color=blue%7Cblack%7Cbrown', 'color=R%7C100%7CG%7C200%7CB%7C150'],
  ['query', 'deepObject', true, null, null, null, 'color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150'],
  // Headers: simple, the header name not part of the value, no percent-encoding.
  ['header', 'simple', false, '', 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
  ['header', 'simple', true, '', 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
  // Cookies: form, but cookie pairs are separated by "; " where the query would use "&" (OpenAPI 3.1.1 Appendix D).
  ['cookie', 'form', false, 'color=', 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
  ['cookie', 'form', true, 'color=', 'color=blue', 'color=blue; color=black; color=brown', 'R=100; G=200; B=150'],
];

const route = (r: Row) => `/${r[0]}/${r[1]}-${r[2]}`;
// The path parameter follows text in its segment, as label and matrix usually do (`/items{.format}`): a lone "." would be a dot segment, which URL parsers remove.
const template = (r: Row) => (r[0] === 'path' ? `${route(r)}/item{color}` : route(r));

/** A description with one operation per row, each taking `color` in its place and style. */
const STYLES = {
  openapi: '3.1.0',
  info: { title: 'Styles', version: '1' },
  paths: {
    ...Object.fromEntries(
      ROWS.map((r) => [
        template(r),
        { get: { parameters: [{ name: 'color', in: r[0], required: r[0] === 'path', style: r[1], explode: r[2], schema: ANY }], ...ok } },
      ]),
    ),
    '/defaults/{color}': {
      get: {
        parameters: [
          { name: 'color', in: 'path', required: true, schema: ANY },
          { name: 'color', in: 'query', schema: ANY },
          { name: 'X-Color', in: 'header', schema: ANY },
          { name: 'color', in: 'cookie', schema: ANY },
        ],
        ...ok,
      },
    },
    '/reserved': {
      get: {
        parameters: [
          { name: 'kept', in: 'query', allowReserved: true, schema: { type: 'string' } },
          { name: 'encoded', in: 'query', schema: { type: 'string' } },
        ],
        ...ok,
      },
    },
    '/content': { get: { parameters: [{ name: 'where', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } }], ...ok } },
  },
};

/** Swagger 2.0 array formats, as imported: csv (the default), ssv, tsv, pipes and multi. */
const SWAGGER = {
  swagger: '2.0',
  info: { title: 'Formats', version: '1' },
  paths: {
    '/formats/{ssv}': {
      get: {
        parameters: [
          { name: 'ssv', in: 'path', required: true, type: 'array', items: { type: 'string' }, collectionFormat: 'ssv' },
          { name: 'csv', in: 'query', type: 'array', items: { type: 'string' } },
          { name: 'ssv', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'ssv' },
          { name: 'tsv', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'tsv' },
          { name: 'pipes', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
          { name: 'multi', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'multi' },
          { name: 'X-Pipes', in: 'header', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
          { name: 'X-Csv', in: 'header', type: 'array', items: { type: 'integer' } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

/** A body declared only as a media range. */
const RANGES = {
  openapi: '3.0.3',
  info: { title: 'Ranges', version: '1' },
  paths: {
    '/anything': { post: { requestBody: { content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }, ...ok } },
    '/texts': { post: { requestBody: { content: { 'text/*': { schema: { type: 'string' } } } }, ...ok } },
    '/images': { post: { requestBody: { content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } }, ...ok } },
    '/notes': {
      post: {
        requestBody: {
          content: {
            'application/xml': { schema: { type: 'string' } },
            'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } },
          },
        },
        ...ok,
      },
    },
  },
};

/** Strict schemas behind the gateway's own contract check (validate_request). */
const CHECKED = {
  openapi: '3.1.0',
  info: { title: 'Checked', version: '1' },
  paths: {
    '/items/{ids}': {
      get: {
        parameters: [
          { name: 'ids', in: 'path', required: true, style: 'matrix', explode: true, schema: { type: 'array', items: { type: 'integer' } } },
          { name: 'tags', in: 'query', style: 'pipeDelimited', schema: { type: 'array', items: { enum: ['red', 'blue'] } } },
          {
            name: 'filter',
            in: 'query',
            style: 'deepObject',
            explode: true,
            schema: { type: 'object', properties: { min: { type: 'integer' }, max: { type: 'integer' } }, additionalProperties: false },
          },
          { name: 'X-Ids', in: 'header', schema: { type: 'array', items: { type: 'integer' }, maxItems: 3 } },
        ],
        ...ok,
      },
    },
  },
};

async function tool(name: string, args: Record<string, unknown>): Promise<any> {
  return client.callTool({ name, arguments: args });
}

/** Calls an endpoint and returns what the upstream received. */
async function sent(endpoint: string, params: Record<string, unknown>): Promise<Received> {
  const res = await tool('execute_call', { endpoint, params });
  expect(res.isError, JSON.stringify(res.structuredContent).slice(0, 500)).toBeFalsy();
  return res.structuredContent.body as Received;
}

/** Waits until an endpoint is in the catalog (the snapshot follows an import within moments). */
async function ready(endpoint: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await tool('inspect_contract', { endpoint });
    if (!res.isError) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${endpoint} never appeared`);
}

beforeAll(async () => {
  up = await startCheckingUpstream();
  t = await startTestGatehouse('sqlite');
  const collectionId = (await run('collections.create', { slug: 'styles', name: 'Styles', published: true })).id;
  await run('proxies.import-openapi', { collectionId, document: STYLES, basePath: '/styles', upstreams: [up.url] });
  await run('proxies.import-openapi', { collectionId, document: RANGES, basePath: '/ranges', upstreams: [up.url] });
  await run('proxies.import-openapi', { collectionId, document: JSON.stringify(SWAGGER), basePath: '/formats', upstreams: [up.url] });
  const c = await run('clients.create', { name: 'agent', collectionIds: [collectionId] });
  const p = await run('profiles.create', { clientId: c.id, name: 'default', authType: 'token' });
  token = (await run('credentials.issue', { profileId: p.id })).token;
  const checked = await run('proxies.import-openapi', { collectionId, document: CHECKED, basePath: '/checked', upstreams: [up.url] });
  const wf = await run('workflows.create', { name: 'contract', request: [{ type: 'validate_request', id: 'contract', body: false }] });
  await run('proxies.update', { id: checked.proxy.id, workflowId: wf.id, workflowVersion: null });
  client = new Client({ name: 'serialization-test', version: '1' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  await ready('GET /formats/formats/{ssv}');
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
  await up?.close();
});

/** What the upstream saw of `color`, by where it was sent. */
function seen(where: Where, r: Row, got: Received): string | undefined {
  switch (where) {
    case 'path':
      return got.url.slice(`${route(r)}/item`.length);
    case 'query':
      return got.url.slice(got.url.indexOf('?') + 1);
    case 'header':
      return got.headers.color as string | undefined;
    case 'cookie':
      return got.headers.cookie as string | undefined;
  }
}

describe('every style and explode of OpenAPI 3, with the specification’s examples', () => {
  const VALUES: Array<[string, unknown, 3 | 4 | 5 | 6]> = [
    ['empty', '', 3],
    ['string', STRING, 4],
    ['array', ARRAY, 5],
    ['object', OBJECT, 6],
  ];
  const cases = ROWS.flatMap((r) => VALUES.filter(([, , col]) => r[col] !== null).map(([kind, value, col]) => [r, kind, value, r[col]!] as const));

  it.each(cases.map((c) => [`${c[0][0]} ${c[0][1]} explode=${c[0][2]} ${c[1]}`, ...c] as const))('%s', async (_name, r, _kind, value, expected) => {
    const key = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' }[r[0]];
    const got = await sent(`GET /styles${template(r)}`, { [key]: { color: value } });
    expect(seen(r[0], r, got)).toBe(expected);
  });

  it('uses each location’s default when the description names no style: simple in the path and headers, form (exploded) in the query and cookies', async () => {
    const got = await sent('GET /styles/defaults/{color}', {
      path: { color: ARRAY },
      query: { color: OBJECT },
      headers: { 'x-color': ARRAY },
      cookies: { color: ARRAY },
    });
    expect(got.url).toBe('/defaults/blue,black,brown?R=100&G=200&B=150');
    expect(got.headers['x-color']).toBe('blue,black,brown');
    expect(got.headers.cookie).toBe('color=blue; color=black; color=brown');
  });

  it('keeps reserved characters only under allowReserved, and writes a content parameter as its media type', async () => {
    const reserved = await sent('GET /styles/reserved', { query: { kept: 'a/b?c:d,e&f', encoded: 'a/b?c:d,e&f' } });
    expect(reserved.url).toBe('/reserved?kept=a/b?c:d,e%26f&encoded=a%2Fb%3Fc%3Ad%2Ce%26f');
    const content = await sent('GET /styles/content', { query: { where: { lat: 1.5, long: -2 } } });
    expect(content.url).toBe('/content?where=%7B%22lat%22%3A1.5%2C%22long%22%3A-2%7D');
  });

  it('inspect_contract shows each parameter’s style and explode, defaults filled in', async () => {
    const matrix = (await tool('inspect_contract', { endpoint: 'GET /styles/path/matrix-true/item{color}' })).structuredContent;
    expect(matrix.parameters.path).toEqual([{ name: 'color', required: true, schema: ANY, style: 'matrix', explode: true }]);
    const defaults = (await tool('inspect_contract', { endpoint: 'GET /styles/defaults/{color}' })).structuredContent;
    expect(defaults.parameters.query[0]).toMatchObject({ style: 'form', explode: true });
    expect(defaults.parameters.header[0]).toMatchObject({ name: 'X-Color', style: 'simple', explode: false });
    expect(defaults.parameters.cookie[0]).toMatchObject({ name: 'color', style: 'form', explode: true });
    expect(defaults.executeCall.params.properties.cookies.properties.color).toEqual(ANY);
    const content = (await tool('inspect_contract', { endpoint: 'GET /styles/content' })).structuredContent;
    expect(content.parameters.query[0]).toMatchObject({ name: 'where', contentType: 'application/json' });
  });
});

describe('Swagger 2.0 collection formats, as imported', () => {
  it('csv (the default), ssv, tsv, pipes and multi reach the upstream as Swagger 2.0 defines them, in the query, path and headers', async () => {
    const got = await sent('GET /formats/formats/{ssv}', {
      path: { ssv: ARRAY },
      query: { csv: ARRAY, ssv: ARRAY, tsv: ARRAY, pipes: ARRAY, multi: ARRAY },
      headers: { 'x-pipes': ARRAY, 'x-csv': [1, 2] },
    });
    expect(got.url).toBe(
      '/formats/blue%20black%20brown?csv=blue,black,brown&ssv=blue%20black%20brown&tsv=blue%09black%09brown&pipes=blue%7Cblack%7Cbrown&multi=blue&multi=black&multi=brown',
    );
    expect(got.headers['x-pipes']).toBe('blue|black|brown');
    expect(got.headers['x-csv']).toBe('1,2');
  });

  it('inspect_contract shows the style each format became, and the format itself where OpenAPI 3 has no style for it', async () => {
    const contract = (await tool('inspect_contract', { endpoint: 'GET /formats/formats/{ssv}' })).structuredContent;
    const byName = Object.fromEntries(contract.parameters.query.map((p: any) => [p.name, p]));
    expect(byName.csv).toMatchObject({ style: 'form', explode: false });
    expect(byName.ssv).toMatchObject({ style: 'spaceDelimited', explode: false });
    expect(byName.pipes).toMatchObject({ style: 'pipeDelimited', explode: false });
    expect(byName.multi).toMatchObject({ style: 'form', explode: true });
    expect(byName.tsv).toMatchObject({ collectionFormat: 'tsv' });
    expect(contract.parameters.path[0]).toMatchObject({ name: 'ssv', collectionFormat: 'ssv' });
  });
});

describe('a body declared as a media range', () => {
  it('goes as the concrete type the caller names, never as the range', async () => {
    await ready('POST /ranges/anything');
    const xml = await tool('execute_call', { endpoint: 'POST /ranges/anything', params: { body: '<a/>' }, contentType: 'application/xml' });
    expect(xml.structuredContent.body).toMatchObject({ contentType: 'application/xml', base64: Buffer.from('<a/>').toString('base64') });
    const png = await tool('execute_call', { endpoint: 'POST /ranges/images', params: { body: 'iVBORw==' }, contentType: 'image/png' });
    expect(png.structuredContent.body).toMatchObject({ contentType: 'image/png', base64: 'iVBORw==' });
  });

  it('without a choice, JSON values go as application/json and strings as text/plain', async () => {
    expect((await sent('POST /ranges/anything', { body: { a: [1, 2] } })).json).toEqual({ a: [1, 2] });
    expect(await sent('POST /ranges/anything', { body: 'hello' })).toMatchObject({ contentType: 'text/plain', text: 'hello' });
    expect(await sent('POST /ranges/texts', { body: 'hi' })).toMatchObject({ contentType: 'text/plain', text: 'hi' });
  });

  it('refuses a type outside the range, a wildcard, and a range it cannot guess for, naming the argument', async () => {
    const before = up.received.length;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['POST /ranges/texts', { params: { body: '{}' }, contentType: 'application/json' }, /must lie in text\/\*/],
      ['POST /ranges/anything', { params: { body: 'x' }, contentType: 'text/*' }, /concrete media type/],
      ['POST /ranges/images', { params: { body: 'iVBORw==' } }, /is required: .*image\/\*/],
      ['POST /ranges/images', { params: { body: 'not base64!' }, contentType: 'image/png' }, /must be base64/],
    ];
    for (const [endpoint, args, message] of cases) {
      const res = await tool('execute_call', { endpoint, ...args });
      expect(res.isError, endpoint).toBe(true);
      expect(res.structuredContent.error.code).toBe('GATEHOUSE_MCP_INVALID_ARGUMENTS');
      expect(res.structuredContent.error.message).toMatch(message);
    }
    expect(up.received.length).toBe(before);
    const contract = (await tool('inspect_contract', { endpoint: 'POST /ranges/anything' })).structuredContent;
    expect(contract.requestBody.contentType).toBe('*/*');
    expect(contract.requestBody.howToSend).toMatch(/contentType/);
  });
});

describe('a body declared in several media types', () => {
  it('goes as JSON by default, checked against the JSON schema, and as another declared type when the caller names it', async () => {
    await ready('POST /ranges/notes');
    expect(await sent('POST /ranges/notes', { body: { text: 'hi' } })).toMatchObject({ contentType: 'application/json', json: { text: 'hi' } });
    const bad = await tool('execute_call', { endpoint: 'POST /ranges/notes', params: { body: { other: 1 } } });
    expect(bad.structuredContent.error.message).toMatch(/params.body.text is required/);
    const xml = await tool('execute_call', { endpoint: 'POST /ranges/notes', params: { body: '<note>hi</note>' }, contentType: 'application/xml' });
    expect(xml.isError, JSON.stringify(xml.structuredContent)).toBeFalsy();
    // The recording upstream keeps non-text/* bodies as base64: the bytes sent, exactly.
    expect(xml.structuredContent.body).toMatchObject({ contentType: 'application/xml', base64: Buffer.from('<note>hi</note>').toString('base64') });
  });

  it('refuses a type it does not declare, and inspect_contract lists the choices', async () => {
    const res = await tool('execute_call', { endpoint: 'POST /ranges/notes', params: { body: 'a,b' }, contentType: 'text/csv' });
    expect(res.isError).toBe(true);
    expect(res.structuredContent.error.message).toBe('contentType must be one of application/json, application/xml, the types this endpoint takes');
    const contract = (await tool('inspect_contract', { endpoint: 'POST /ranges/notes' })).structuredContent;
    expect(contract.requestBody).toMatchObject({ contentType: 'application/json', contentTypes: ['application/xml', 'application/json'] });
    expect(contract.requestBody.howToSend).toMatch(/also takes application\/xml/);
  });
});

describe('the gateway’s own contract check reads parameters by their styles', () => {
  const endpoint = 'GET /checked/items/{ids}';
  const rest = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.gh.urls.proxy}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));

  it('passes what execute_call serialized, and the same request sent over REST', async () => {
    await ready(endpoint);
    const params = { path: { ids: [1, 2] }, query: { tags: ['red', 'blue'], filter: { min: 1, max: 5 } }, headers: { 'x-ids': [7, 8] } };
    let got: Received | undefined;
    // The workflow reaches the snapshot moments after it is attached.
    for (let i = 0; i < 100; i++) {
      got = await sent(endpoint, params);
      if (got.url.startsWith('/items/')) break;
    }
    expect(got!.url).toBe('/items/;ids=1;ids=2?tags=red%7Cblue&filter%5Bmin%5D=1&filter%5Bmax%5D=5');
    const viaRest = await rest('/checked/items/;ids=1;ids=2?tags=red%7Cblue&filter%5Bmin%5D=1&filter%5Bmax%5D=5', { 'x-ids': '7, 8' });
    expect(viaRest.status).toBe(200);
  });

  it('refuses values that break the schema once read by their style, naming the item', async () => {
    let res: { status: number; body: any } = { status: 0, body: null };
    for (let i = 0; i < 100 && res.status !== 400; i++)
      res = await rest('/checked/items/;ids=1;ids=x?tags=red%7Cgreen&filter%5Bmin%5D=1&filter%5Bother%5D=2', { 'x-ids': '1,2,3,4' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('GATEHOUSE_REQUEST_INVALID');
    expect(res.body.error.details.map((d: any) => d.path).sort()).toEqual([
      'request.headers.x-ids',
      'request.path.ids.1',
      'request.query.filter.other',
      'request.query.tags.1',
    ]);
  });
});
