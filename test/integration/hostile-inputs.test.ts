import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken, tokenRequest } from '../support/oauth.js';
import { rawConnection } from '../support/raw-http.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

/**
 * Inputs found by fuzzing the gateway from outside, each sent raw over the wire: each gets a
 * precise 4xx at once (never a 500, an empty reply or a hang), and the process answers afterwards.
 */

let t: TestGatehouse;
let upstream: SampleUpstream;
let mcpUpstream: TestUpstream;
let consumerToken: string;
let managementToken: string;
let virtualToken: string;
let collectionId: string;

beforeAll(async () => {
  [t, upstream, mcpUpstream] = await Promise.all([
    startTestGatehouse('sqlite'),
    startUpstream(),
    startStatefulUpstream('tools', (server) => {
      server.registerTool('echo', { description: 'Echo' }, async () => ({ content: [{ type: 'text', text: 'echo' }] }));
    }),
  ]);
  const ok = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  const col = await ok('/collections', { slug: 'shop', name: 'Shop', published: true });
  collectionId = col.id;
  const proxy = await ok('/proxies', { collectionId: col.id, name: 'Shop', basePath: '/shop', upstreams: [upstream.url] });
  await ok(`/proxies/${proxy.id}/endpoints`, { method: 'POST', path: '/orders' });
  const client = await ok('/clients', { name: 'Hostile', collectionIds: [col.id] });
  const profile = await ok('/profiles', { clientId: client.id, name: 'p', authType: 'token' });
  consumerToken = (await ok(`/profiles/${profile.id}/credentials`, {})).token;
  const server = await ok('/mcp-servers', { name: 'tools', url: mcpUpstream.url });
  await ok('/virtual-mcps', { slug: 'tools', name: 'Tools', upstreamIds: [server.id], published: true });
  const sa = await t.serviceAccount('modifier');
  const issued = await tokenRequest(
    t.gh.urls.issuer,
    { grant_type: 'client_credentials', resource: `${t.gh.urls.admin}/management/mcp`, scope: 'gatehouse:management' },
    { clientId: sa.clientId, clientSecret: sa.clientSecret },
  );
  managementToken = String(issued.body.access_token);
  virtualToken = await clientCredentialsToken({
    issuer: t.gh.urls.issuer,
    clientId: sa.clientId,
    clientSecret: sa.clientSecret,
    resource: `${t.gh.urls.proxy}/mcp/v/tools`,
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await upstream?.close();
  await mcpUpstream?.close();
});

interface RawAnswer {
  status: number;
  head: string;
  body: any;
  /** Whether the server closed the connection (within a second of answering). */
  closed: boolean;
  ms: number;
}

/** Writes `raw` on a new connection and reads the one answer; fails the test if none comes within 3 s. */
async function exchange(baseUrl: string, raw: string): Promise<RawAnswer> {
  const started = Date.now();
  const conn = rawConnection(baseUrl, raw);
  await conn.until(/^HTTP\/1\.1 \d{3}[\s\S]*?\r\n\r\n/, 3000);
  const ms = Date.now() - started;
  const closed = await Promise.race([conn.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1000))]);
  conn.socket.destroy();
  const text = conn.received();
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  expect(status, `no answer to ${JSON.stringify(raw.slice(0, 120))}: got ${JSON.stringify(text.slice(0, 200))}`).not.toBeNull();
  const at = text.indexOf('\r\n\r\n');
  const bodyText = text.slice(at + 4);
  let body: unknown = bodyText;
  try {
    body = JSON.parse(bodyText);
  } catch {}
  return { status: Number(status![1]), head: text.slice(0, at), body, closed, ms };
}

function post(path: string, token: string, body: string, extra = ''): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
    `Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-06-18\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/** The process still answers: health, and a real proxied call. */
async function stillAnswers(): Promise<void> {
  expect((await fetch(`${t.gh.urls.proxy}/healthz`)).status).toBe(200);
  const res = await fetch(`${t.gh.urls.proxy}/shop/orders`, { method: 'POST', headers: { authorization: `Bearer ${consumerToken}` }, body: '{}' });
  expect(res.status).toBeLessThan(300);
  await res.arrayBuffer();
}

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedArguments = (depth: number) =>
  `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;

describe('JSON nested 5,000 deep', () => {
  const endpoints = () => [
    { name: '/mcp', base: t.gh.urls.proxy, path: '/mcp', token: consumerToken },
    { name: '/management/mcp', base: t.gh.urls.admin, path: '/management/mcp', token: managementToken },
    { name: '/mcp/v/{slug}', base: t.gh.urls.proxy, path: '/mcp/v/tools', token: virtualToken },
  ];

  it('is a JSON-RPC parse error (400, GATEHOUSE_JSON_TOO_DEEP) on both MCP endpoints and a virtual server', async () => {
    for (const { name, base, path, token } of endpoints()) {
      for (const body of [nestedArrays(5000), nestedArguments(5000)]) {
        const answer = await exchange(base, post(path, token, body));
        expect(answer.status, `${name}: ${JSON.stringify(answer.body)}`).toBe(400);
        expect(answer.body.error).toMatchObject({ code: -32700, data: { code: 'GATEHOUSE_JSON_TOO_DEEP' } });
      }
      // Nesting a real client sends still works.
      const fine = await exchange(base, post(path, token, nestedArguments(20)));
      expect(fine.status, name).toBe(200);
    }
    await stillAnswers();
  });

  it('is a 400 GATEHOUSE_JSON_TOO_DEEP on the admin API', async () => {
    const answer = await exchange(
      t.gh.urls.admin,
      post('/admin/api/v1/collections', t.adminToken, `{"slug":"deep","name":"Deep","labels":${nestedArrays(5000)}}`),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('GATEHOUSE_JSON_TOO_DEEP');
    expect((await call(t.api, t.adminToken, 'GET', '/collections')).body.items.map((c: { slug: string }) => c.slug)).not.toContain('deep');
    await stillAnswers();
  });

  it('is the same answer for a body large enough to be parsed in slices (over 1 MiB), which otherwise parses as usual', async () => {
    const filler = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ name: `p-${i}`, rateLimits: [{ window: 'minute', limit: 100 }] })));
    expect(filler.length).toBeGreaterThan(1_048_576);
    const deep = await fetch(`${t.api}/config/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: `{"document":{"policies":${filler},"labels":${nestedArrays(5000)}}}`,
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: { code: string } }).error.code).toBe('GATEHOUSE_JSON_TOO_DEEP');
    const malformed = async (body: string) => {
      const res = await fetch(`${t.api}/config/plan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
        body,
      });
      return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
    };
    expect(await malformed(`{"document":{"policies":${filler},}}`)).toEqual(await malformed('{"document":{"policies":[],}}'));
    expect((await malformed('{"document":{"policies":[],}}')).status).toBe(400);
    expect(await malformed(`{"document":{"policies":${filler}},"__proto__":{"x":1}}`)).toEqual(await malformed('{"__proto__":{"x":1}}'));
    const planned = await call(t.api, t.adminToken, 'POST', '/config/plan', { document: { policies: JSON.parse(filler) } });
    expect(planned.status, JSON.stringify(planned.body).slice(0, 300)).toBe(200);
    await stillAnswers();
  });
});

describe('an OpenAPI $ref that is not a valid pointer', () => {
  it('is a 422 naming the ref, and nothing is written', async () => {
    const ref = '#/components/parameters/%zz';
    const document = {
      openapi: '3.0.3',
      info: { title: 'Bad ref', version: '1' },
      paths: { '/items': { get: { parameters: [{ $ref: ref }], responses: { '200': { description: 'ok' } } } } },
    };
    const body = JSON.stringify({ document, basePath: '/badref', upstreams: ['http://127.0.0.1:9'] });
    const answer = await exchange(t.gh.urls.admin, post(`/admin/api/v1/collections/${collectionId}/import-openapi`, t.adminToken, body));
    expect(answer.status, JSON.stringify(answer.body)).toBe(422);
    expect(answer.body.error.code).toBe('GATEHOUSE_OPENAPI_INVALID');
    expect(answer.body.error.message).toContain(ref);
    expect((await call(t.api, t.adminToken, 'GET', '/proxies')).body.items.map((p: { basePath: string }) => p.basePath)).not.toContain('/badref');
    await stillAnswers();
  });
});

describe('the device authorization endpoint', () => {
  it('answers GET with an OAuth error (405 invalid_request), not a 500', async () => {
    const answer = await exchange(t.gh.urls.admin, 'GET /oauth/device/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(405);
    expect(answer.head.toLowerCase()).toContain('allow: post');
    expect(answer.body).toMatchObject({ error: 'invalid_request' });
    await stillAnswers();
  });

  it('sends a stale device resume link back to the code form, not a 500', async () => {
    const answer = await exchange(t.gh.urls.admin, 'GET /oauth/device/not-a-real-interaction HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(303);
    expect(answer.head).toMatch(/\r\nlocation: [^\r]*\/oauth\/device\r/i);
    await stillAnswers();
  });
});

describe('malformed requests on the proxy listener', () => {
  const chunked = (size: string) =>
    `POST /shop/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${consumerToken}\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nabc`;

  it('a chunk size that overflows 64 bits, or is not hex, is a 400 and a closed connection at once', async () => {
    for (const size of ['10000000000000000', 'ffffffffffffffffff', 'zz', '-1', '0x10']) {
      const answer = await exchange(t.gh.urls.proxy, chunked(size));
      expect(answer.status, size).toBe(400);
      expect(answer.body.error.code, size).toBe('GATEHOUSE_BAD_REQUEST');
      expect(answer.closed, size).toBe(true);
    }
    await stillAnswers();
  });

  it('malformed request lines and heads are a JSON 400 and a closed connection, never an empty reply', async () => {
    const lines = [
      'GET / HTTP/1.1x',
      'GET / HTTP/9.9',
      'get / HTTP/1.1',
      'FOO / HTTP/1.1',
      'GET /a b HTTP/1.1',
      'GET /\x01 HTTP/1.1',
      'GET /\x7f HTTP/1.1',
      'GET\t/ HTTP/1.1',
      '/ HTTP/1.1',
      'GET',
      ' GET / HTTP/1.1',
      'GET / HTTP/1.1 extra',
      'GET ?x HTTP/1.1',
      'PRI * HTTP/2.0',
      'GET / http/1.1',
      'G\x00T / HTTP/1.1',
    ];
    const heads = [
      'Content-Length: 1\r\nContent-Length: 2',
      'Content-Length: -1',
      'Content-Length: 1\r\nTransfer-Encoding: chunked',
      'Transfer-Encoding: gzip',
      ' folded',
      'X: a\rb',
      'NoColon',
      'Bad Name: x',
    ];
    const raws = [
      ...lines.map((line) => `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
      ...heads.map((head) => `POST /shop/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${consumerToken}\r\n${head}\r\nConnection: close\r\n\r\n`),
      // HTTP/1.1 requires Host.
      'GET /shop/orders HTTP/1.1\r\nConnection: close\r\n\r\n',
    ];
    for (const raw of raws) {
      const answer = await exchange(t.gh.urls.proxy, raw);
      expect(answer.status, JSON.stringify(raw)).toBe(400);
      expect(answer.body?.error?.code, JSON.stringify(raw)).toBe('GATEHOUSE_BAD_REQUEST');
      expect(answer.closed, JSON.stringify(raw)).toBe(true);
    }
    await stillAnswers();
  });

  it('CONNECT is a 405 and a closed connection (node:http would drop it without a word)', async () => {
    for (const target of ['127.0.0.1:1', '/shop/orders']) {
      const answer = await exchange(t.gh.urls.proxy, `CONNECT ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      expect(answer.status).toBe(405);
      expect(answer.body.error.code).toBe('GATEHOUSE_METHOD_NOT_ALLOWED');
      expect(answer.closed).toBe(true);
    }
    await stillAnswers();
  });

  it('a head over the size limit is a JSON 431', async () => {
    const answer = await exchange(t.gh.urls.proxy, `GET /shop/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.body.error.code).toBe('GATEHOUSE_HEADERS_TOO_LARGE');
    await stillAnswers();
  });
});

describe('a request body that stops arriving', () => {
  let quick: TestGatehouse;
  let token: string;
  beforeAll(async () => {
    quick = await startTestGatehouse('sqlite', { requestBodyIdleMs: 1_000 });
    const ok = async (path: string, body: unknown) => (await call(quick.api, quick.adminToken, 'POST', path, body)).body;
    const col = await ok('/collections', { slug: 'slow', name: 'Slow', published: true });
    const proxy = await ok('/proxies', { collectionId: col.id, name: 'Slow', basePath: '/slow', upstreams: [upstream.url] });
    await ok(`/proxies/${proxy.id}/endpoints`, { method: 'POST', path: '/orders' });
    await ok(`/proxies/${proxy.id}/endpoints`, { method: 'POST', path: '/slow' });
    const client = await ok('/clients', { name: 'Slow', collectionIds: [col.id] });
    const profile = await ok('/profiles', { clientId: client.id, name: 'p', authType: 'token' });
    token = (await ok(`/profiles/${profile.id}/credentials`, {})).token;
  });
  afterAll(async () => quick?.close());

  it('a chunk declared 2^64-1 bytes long is a 408 and a closed connection once the body goes quiet, not a hang', async () => {
    const conn = rawConnection(
      quick.gh.urls.proxy,
      `POST /slow/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc`,
    );
    const text = await conn.until(/^HTTP\/1\.1 \d{3}[\s\S]*\r\n\r\n\{[\s\S]*\}$/, 5_000);
    await Promise.race([conn.closed, new Promise((r) => setTimeout(r, 1_000))]);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code).toBe('GATEHOUSE_REQUEST_TIMEOUT');
    expect(conn.socket.destroyed || conn.socket.readableEnded).toBe(true);
    expect((await fetch(`${quick.gh.urls.proxy}/healthz`)).status).toBe(200);
  });

  it('a slow upload that keeps sending is served', async () => {
    const conn = rawConnection(
      quick.gh.urls.proxy,
      `POST /slow/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
    );
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 600));
      conn.socket.write('2\r\nab\r\n');
    }
    conn.socket.write('0\r\n\r\n');
    const text = await conn.until(/^HTTP\/1\.1 \d{3}/, 5_000);
    expect(text).toMatch(/^HTTP\/1\.1 2\d\d /);
  });

  it('a whole body whose upstream answers after more than the idle time is served, and the connection carries the next call', async () => {
    const body = '{"name":"pen","qty":2}';
    const post = (path: string) =>
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const conn = rawConnection(quick.gh.urls.proxy, post('/slow/slow?ms=1500'));
    const first = await conn.until(/\{"waited":1500\}/, 5_000);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    conn.socket.write(post('/slow/orders'));
    const both = await conn.until(/\{"name":"pen","qty":2\}$/, 5_000);
    expect(both.slice(first.length)).toMatch(/^HTTP\/1\.1 201 /);
    expect(conn.socket.destroyed).toBe(false);
    conn.socket.destroy();
  });
});
