import { gzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** An upstream that tells the test exactly what it received. */
export interface EchoUpstream {
  url: string;
  name: string;
  /** Requests seen, by path. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-internal': 'upstream-only', ...headers });
  res.end(text);
}

/** Answers in an encoding a guardrail must read through: another charset, HTML entities, a compression, a bomb, deep JSON. */
function encoded(res: ServerResponse, as: string): void {
  const mail = 'Write to jane.doe@example.org today.';
  const answers: Record<string, () => [string, Buffer, Record<string, string>?]> = {
    utf16: () => ['application/json; charset=utf-16le', Buffer.from(JSON.stringify({ note: mail }), 'utf16le')],
    html: () => ['text/html; charset=utf-8', Buffer.from('<p>Write to jane.doe&#64;example.org today.</p>')],
    gzip: () => ['application/json', gzipSync(JSON.stringify({ note: mail })), { 'content-encoding': 'gzip' }],
    bomb: () => ['application/json', gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' }],
    unknown: () => ['text/plain', Buffer.from(mail), { 'content-encoding': 'x-custom' }],
    deep: () => ['application/json', Buffer.from(`${'['.repeat(5_000)}${']'.repeat(5_000)}`)],
  };
  const answer = answers[as];
  if (answer === undefined) {
    res.writeHead(404).end();
    return;
  }
  const [type, body, headers] = answer();
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, ...headers });
  res.end(body);
}

/** A chat completion streamed as OpenAI's API streams one: the text in pieces of three characters, one event each, then `[DONE]`. */
function streamed(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: Record<string, string>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-7', object: 'chat.completion.chunk', model: 'demo-1', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }));
  for (let i = 0; i < text.length; i += 3) res.write(chunk({ content: text.slice(i, i + 3) }));
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

/** A chat answer streamed as Ollama's API streams one (`application/x-ndjson`): a JSON line a three-character piece, then the done line. */
function streamedLines(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (content: string, done: boolean) =>
    `${JSON.stringify({ model: 'llama3.2', created_at: new Date().toISOString(), message: { role: 'assistant', content }, done })}\n`;
  for (let i = 0; i < text.length; i += 3) res.write(line(text.slice(i, i + 3), false));
  res.end(line('', true));
}

/** Starts an upstream answering every path with what it received (method, path, query, headers, body), plus a few fixed documents. */
export async function startEchoUpstream(name: string): Promise<EchoUpstream> {
  const hits = new Map<string, number>();
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const body = await readAll(req);
    if (url.pathname.endsWith('/secret'))
      return json(res, 200, {
        name: 'Ada',
        ssn: '123-45-6789',
        items: [
          { id: 1, card: '4111-1111' },
          { id: 2, card: '5500-0000' },
        ],
      });
    if (url.pathname.endsWith('/nostore')) return json(res, 200, { n: ++counter }, { 'cache-control': 'no-store' });
    if (url.pathname.endsWith('/counted')) return json(res, 200, { n: ++counter });
    if (url.pathname.endsWith('/big')) return json(res, 200, { blob: 'x'.repeat(200_000) });
    if (url.pathname.endsWith('/encoded')) return encoded(res, url.searchParams.get('as') ?? '');
    // Where a created record is, as an API answers: its address names it, and a link says who owns it.
    if (url.pathname.endsWith('/moved')) {
      const to = url.searchParams.get('to') ?? '';
      return json(res, 201, { created: true }, { location: `/people/${to}`, link: `</owners/${to}>; rel="owner"; title="${to}"` });
    }
    if (url.pathname.endsWith('/stream'))
      return (url.searchParams.get('format') === 'ndjson' ? streamedLines : streamed)(res, url.searchParams.get('text') ?? '');
    return json(res, 200, { upstream: name, method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    name,
    hits,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The contract the workflow tests import: parameters and a JSON body to validate. */

/** A GET operation with one string query parameter. */
function withQuery(operationId: string, summary: string, name: string) {
  return { get: { operationId, summary, parameters: [{ name, in: 'query', schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } };
}

export const WORKFLOW_API = {
  openapi: '3.1.0',
  info: { title: 'Workflow test API', version: '1' },
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        summary: 'Get an item',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'expand', in: 'query', schema: { type: 'string', enum: ['owner', 'tags'] } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/items': {
      post: {
        operationId: 'createItem',
        summary: 'Create an item',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name', 'qty'],
                properties: { name: { type: 'string', minLength: 1 }, qty: { type: 'integer', minimum: 1 } },
              },
            },
          },
        },
        responses: { '201': { description: 'created' } },
      },
    },
    '/echo': {
      get: { operationId: 'echoGet', summary: 'Echo', responses: { '200': { description: 'ok' } } },
      post: {
        operationId: 'echoPost',
        summary: 'Echo a body',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
    '/secret': { get: { operationId: 'secret', summary: 'A record with sensitive fields', responses: { '200': { description: 'ok' } } } },
    '/counted': { get: { operationId: 'counted', summary: 'A counter', responses: { '200': { description: 'ok' } } } },
    '/nostore': { get: { operationId: 'nostore', summary: 'Never cached', responses: { '200': { description: 'ok' } } } },
    '/big': { get: { operationId: 'big', summary: 'A large response', responses: { '200': { description: 'ok' } } } },
    '/stream': withQuery('stream', 'A chat completion streamed as server-sent events', 'text'),
    '/encoded': withQuery('encoded', 'An answer in another charset or encoding', 'as'),
    '/moved': withQuery('moved', 'Creates a record and says where it is (Location, Link)', 'to'),
  },
};

/** A gateway with the test API published at /wf/v1, a token caller and a JWT caller. */
export interface WorkflowGateway {
  t: TestGatehouse;
  upstream: EchoUpstream;
  canary: EchoUpstream;
  proxyId: string;
  collectionId: string;
  token: string;
  clientId: string;
  jwtProfileId: string;
  /** Signs a JWT for the JWT profile with these claims. */
  jwt(claims: Record<string, unknown>): Promise<string>;
  /** Creates a workflow and makes it the proxy's. */
  attach(definition: Record<string, unknown>): Promise<{ id: string; version: number }>;
  admin(method: string, path: string, body?: unknown): Promise<any>;
  /** A call through the proxy (with the token unless `auth` says otherwise). */
  send(
    method: string,
    path: string,
    opts?: { headers?: Record<string, string>; body?: string | Uint8Array; auth?: string | null },
  ): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  close(): Promise<void>;
}

export async function startWorkflowGateway(extra: Record<string, unknown> = {}): Promise<WorkflowGateway> {
  const upstream = await startEchoUpstream('stable');
  const canary = await startEchoUpstream('canary');
  const pair = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] as JWK[] };
  const idp = createServer((req, res) => {
    res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/jwks.json' ? JSON.stringify(jwks) : '{}');
  });
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  const idpUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const t = await startTestGatehouse('sqlite', extra);
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await call(t.api, t.adminToken, method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const col = await admin('POST', '/collections', { slug: 'wf', name: 'Workflow tests', published: true });
  const imported = await admin('POST', `/collections/${col.id}/import-openapi`, { document: WORKFLOW_API, basePath: '/wf/v1', upstreams: [upstream.url] });
  const client = await admin('POST', '/clients', { name: 'Workflow partner', collectionIds: [col.id] });
  const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'token', authType: 'token' });
  const token = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
  const jwtProfile = await admin('POST', '/profiles', {
    clientId: client.id,
    name: 'jwt',
    authType: 'jwt',
    jwt: { issuer: `${idpUrl}/issuer`, jwksUrl: `${idpUrl}/jwks.json`, audience: 'wf-api', algorithms: ['ES256'] },
  });
  let n = 0;
  return {
    t,
    upstream,
    canary,
    proxyId: imported.proxy.id,
    collectionId: col.id,
    token,
    clientId: client.id,
    jwtProfileId: jwtProfile.id,
    jwt: (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(`${idpUrl}/issuer`)
        .setAudience('wf-api')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(pair.privateKey),
    async attach(definition) {
      const wf = await admin('POST', '/workflows', { name: `wf-${++n}`, ...definition });
      await admin('PATCH', `/proxies/${imported.proxy.id}`, { workflowId: wf.id, workflowVersion: null });
      return { id: wf.id, version: wf.version };
    },
    admin,
    async send(method, path, opts = {}) {
      const auth = opts.auth === undefined ? `Bearer ${token}` : opts.auth;
      const res = await fetch(`${t.gh.urls.proxy}/wf/v1${path}`, {
        method,
        headers: { ...(auth ? { authorization: auth } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        ...(opts.body !== undefined ? { body: opts.body } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, headers: res.headers, body, text };
    },
    async close() {
      await t.close();
      await upstream.close();
      await canary.close();
      idp.close();
    },
  };
}
