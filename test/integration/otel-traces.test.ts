import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AuthUpstream, startAuthUpstream } from '../support/auth-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';

/**
 * Traces of the call path, as a collector receives them: a SERVER span per proxied REST call, per
 * Gateway MCP execute_call and per federated tool call, each with a CLIENT child for the upstream,
 * continuing the caller's W3C trace context and handing the upstream its own.
 */

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const traceparent = (trace: string, span: string) => `00-${trace}-${span}-01`;

let t: TestGatehouse;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let upstream: AuthUpstream;
let mcpUpstream: { url: string; traceparents: (string | undefined)[]; metas: unknown[]; close(): Promise<void> };
let caller = { token: '', clientId: '', profileId: '' };
const ids: Record<string, string> = {};

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

/** The spans of one trace once `count` of them have arrived (the exporter sends batches every second). */
async function spansOf(traceId: () => string | undefined, count: number): Promise<ReceivedSpan[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const id = traceId();
    const found = id === undefined ? [] : receiver.spans.filter((s) => s.traceId === id);
    if (found.length >= count || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * An upstream MCP server (official SDK) that records the trace context of each tools/call, from
 * its HTTP headers and its `_meta` (the gateway's pooled session was opened by no call in particular).
 */
async function startMcpUpstream(): Promise<typeof mcpUpstream> {
  const traceparents: (string | undefined)[] = [];
  const metas: unknown[] = [];
  const mcp = createMcpHandler(() => {
    const server = new McpServer({ name: 'traced', version: '1' });
    server.registerTool('echo', { description: 'Echoes', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    return server;
  });
  const node = toNodeHandler(mcp);
  const http: HttpServer = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const parsed = text ? JSON.parse(text) : undefined;
    if (parsed?.method === 'tools/call') {
      traceparents.push(req.headers.traceparent as string | undefined);
      metas.push(parsed.params?._meta);
    }
    void node(req, res, parsed);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    traceparents,
    metas,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** A JSON-RPC result as sent: the JSON body, or the `data:` event of a stream. */
function rpcResult(body: string): unknown {
  const json = body.trimStart().startsWith('{')
    ? body
    : (body
        .split('\n')
        .find((l) => l.startsWith('data:'))
        ?.slice(5) ?? 'null');
  return (JSON.parse(json) as { result: unknown }).result;
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  upstream = await startAuthUpstream(() => true);
  mcpUpstream = await startMcpUpstream();
  t = await startTestGatehouse('sqlite', { otel: { endpoint: receiver.endpoint, serviceName: 'gh-traces' } });
  ids.collection = (await admin('POST', '/collections', { slug: 'traced', name: 'Traced', published: true })).id;
  const proxy = await admin('POST', '/proxies', { collectionId: ids.collection, name: 'Traced', basePath: '/tr/v1', upstreams: [upstream.url] });
  ids.proxy = proxy.id;
  ids.endpoint = (
    await admin('POST', `/proxies/${proxy.id}/endpoints`, {
      method: 'GET',
      path: '/orders/{id}',
      summary: 'One order',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    })
  ).id;
  const down = await admin('POST', '/proxies', { collectionId: ids.collection, name: 'Down', basePath: '/down/v1', upstreams: ['http://127.0.0.1:9'] });
  await admin('POST', `/proxies/${down.id}/endpoints`, { method: 'GET', path: '/x' });
  const client = await admin('POST', '/clients', { name: 'Partner', collectionIds: [ids.collection] });
  const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'default', authType: 'token' });
  caller = { token: (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token, clientId: client.id, profileId: profile.id };
  const server = await admin('POST', '/mcp-servers', { name: 'traced', url: mcpUpstream.url });
  await admin('POST', '/virtual-mcps', {
    slug: 'tv',
    name: 'Traced virtual',
    upstreamIds: [server.id],
    tools: [{ upstreamId: server.id, name: 'echo', rename: 'say' }],
    published: true,
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await Promise.all([upstream?.close(), mcpUpstream?.close(), receiver?.close()]);
});

describe('OpenTelemetry traces of the call path (GATEHOUSE_OTLP_ENDPOINT)', () => {
  it('a REST call continues the caller’s traceparent; its upstream request is a child span whose context the upstream receives', async () => {
    const res = await fetch(`${t.gh.urls.proxy}/tr/v1/orders/42?x=1`, {
      headers: { authorization: `Bearer ${caller.token}`, traceparent: traceparent(CALLER_TRACE, CALLER_SPAN), tracestate: 'vendor=abc' },
    });
    expect(res.status).toBe(200);
    const spans = await spansOf(() => CALLER_TRACE, 2);
    const server = spans.find((s) => s.kind === 2)!;
    const client = spans.find((s) => s.kind === 3)!;
    expect(server).toMatchObject({ name: 'GET /tr/v1/orders/{id}', parentSpanId: CALLER_SPAN, resource: { 'service.name': 'gh-traces' } });
    expect(server.attributes).toMatchObject({
      'gatehouse.channel': 'rest',
      'http.request.method': 'GET',
      'url.path': '/tr/v1/orders/42',
      'http.route': '/tr/v1/orders/{id}',
      'http.response.status_code': 200,
      'gatehouse.collection.id': ids.collection,
      'gatehouse.collection.slug': 'traced',
      'gatehouse.proxy.id': ids.proxy,
      'gatehouse.endpoint.id': ids.endpoint,
      'gatehouse.client.id': caller.clientId,
      'gatehouse.profile.id': caller.profileId,
      'client.address': '127.0.0.1',
      'gatehouse.request.id': res.headers.get('x-request-id'),
    });
    expect(client).toMatchObject({ name: 'upstream GET', parentSpanId: server.spanId });
    expect(client.attributes).toMatchObject({
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(upstream.url).port),
      'http.response.status_code': 200,
    });
    // The upstream's parent is the gateway's upstream span, not the caller's span; the caller's tracestate goes along.
    const seen = upstream.seen.at(-1)!.headers;
    expect(seen.traceparent).toBe(traceparent(CALLER_TRACE, client.spanId));
    expect(seen.tracestate).toBe('vendor=abc');
  });

  it('a call without a trace context starts a new trace; a refused call has no upstream span; a failed upstream is an error on both spans', async () => {
    expect((await fetch(`${t.gh.urls.proxy}/tr/v1/orders/7`, { headers: { authorization: `Bearer ${caller.token}` } })).status).toBe(200);
    const sent = upstream.seen.at(-1)!.headers.traceparent as string;
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, fresh] = sent.split('-');
    const spans = await spansOf(() => fresh, 2);
    expect(spans.find((s) => s.kind === 2)!.parentSpanId).toBeUndefined();

    const refusedTrace = 'a'.repeat(32);
    const refused = await fetch(`${t.gh.urls.proxy}/tr/v1/orders/7`, {
      headers: { authorization: 'Bearer ghk_wrong', traceparent: traceparent(refusedTrace, '1'.repeat(16)) },
    });
    expect(refused.status).toBe(401);
    const failedTrace = 'b'.repeat(32);
    const failed = await fetch(`${t.gh.urls.proxy}/down/v1/x`, {
      headers: { authorization: `Bearer ${caller.token}`, traceparent: traceparent(failedTrace, '2'.repeat(16)) },
    });
    expect(failed.status).toBe(502);

    await spansOf(() => failedTrace, 2);
    const refusedSpans = await spansOf(() => refusedTrace, 1);
    expect(refusedSpans).toHaveLength(1);
    expect(refusedSpans[0]!.attributes).toMatchObject({ 'http.response.status_code': 401, 'error.type': 'GATEHOUSE_CREDENTIAL_INVALID' });
    const down = receiver.spans.filter((s) => s.traceId === failedTrace);
    const downServer = down.find((s) => s.kind === 2)!;
    expect(downServer.attributes).toMatchObject({ 'http.response.status_code': 502, 'error.type': 'GATEHOUSE_UPSTREAM_UNREACHABLE' });
    expect(downServer.status?.code).toBe(2);
    const downClient = down.find((s) => s.kind === 3)!;
    expect(downClient).toMatchObject({ parentSpanId: downServer.spanId, attributes: { 'server.port': 9, 'error.type': 'GATEHOUSE_UPSTREAM_UNREACHABLE' } });
  });

  it('Gateway MCP execute_call continues `params._meta.traceparent` (over the HTTP header), on the fast path and the SDK path', async () => {
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch(`${t.gh.urls.proxy}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${caller.token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          traceparent: traceparent('f'.repeat(32), 'f'.repeat(16)),
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const args = { endpoint: 'GET /tr/v1/orders/{id}', params: { path: { id: '9' } } };
    const modernTrace = 'c'.repeat(32);
    const modern = await post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'execute_call',
          arguments: args,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
            traceparent: traceparent(modernTrace, '3'.repeat(16)),
          },
        },
      },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'execute_call' },
    );
    expect(modern.status).toBe(200);
    const answer = (await modern.json()) as any;
    expect(answer.result?.structuredContent?.status, JSON.stringify(answer)).toBe(200);
    // The 2025 era with `_meta` goes through the SDK's handler: the same context is honoured.
    const legacyTrace = 'd'.repeat(32);
    const legacy = await post(
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'execute_call', arguments: args, _meta: { traceparent: traceparent(legacyTrace, '4'.repeat(16)) } },
      },
      {},
    );
    expect(legacy.status).toBe(200);
    await legacy.text();

    for (const [trace, parent] of [
      [modernTrace, '3'.repeat(16)],
      [legacyTrace, '4'.repeat(16)],
    ] as const) {
      const spans = await spansOf(() => trace, 2);
      const server = spans.find((s) => s.kind === 2)!;
      expect(server).toMatchObject({ name: 'execute_call GET /tr/v1/orders/{id}', parentSpanId: parent });
      expect(server.attributes).toMatchObject({
        'gatehouse.channel': 'mcp',
        'gatehouse.mcp.tool': 'execute_call',
        'gatehouse.client.id': caller.clientId,
        'gatehouse.endpoint.id': ids.endpoint,
        'http.response.status_code': 200,
      });
      const client = spans.find((s) => s.kind === 3)!;
      expect(client.parentSpanId).toBe(server.spanId);
      expect(upstream.seen.some((r) => r.headers.traceparent === traceparent(trace, client.spanId))).toBe(true);
    }
    // Without `_meta.traceparent` the HTTP header's context is the parent.
    const plain = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'execute_call', arguments: args } }, {});
    await plain.text();
    const fromHeader = await spansOf(() => 'f'.repeat(32), 2);
    expect(fromHeader.find((s) => s.kind === 2)!.parentSpanId).toBe('f'.repeat(16));
  });

  it('a federated tool call under /mcp/v/{slug} is a span with a child for the upstream MCP server, which gets its context in headers and `_meta`', async () => {
    const sa = await t.serviceAccount('viewer');
    const url = `${t.gh.urls.proxy}/mcp/v/tv`;
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, clientId: sa.clientId, clientSecret: sa.clientSecret, resource: url });
    // A listing first (its tokens are on its log record).
    const listed = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'tools/list' }),
    });
    const listing = JSON.stringify(rpcResult(await listed.text()));
    for (let i = 0; i < 100 && !receiver.logs.some((l) => l.attributes['mcp.method.name'] === 'tools/list'); i++) await new Promise((r) => setTimeout(r, 100));
    const trace = 'e'.repeat(32);
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'say', arguments: { text: 'hi' }, _meta: { traceparent: traceparent(trace, '5'.repeat(16)) } },
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('hi');
    const shown = ((rpcResult(body) as { content: Array<{ type: string; text?: string }> }).content ?? []).map((c) => c.text ?? '').join('');
    const spans = await spansOf(() => trace, 2);
    const server = spans.find((s) => s.kind === 2)!;
    const client = spans.find((s) => s.kind === 3)!;
    expect(server).toMatchObject({ name: 'tools/call say', parentSpanId: '5'.repeat(16) });
    expect(server.attributes).toMatchObject({
      'gatehouse.channel': 'federation',
      'gatehouse.mcp.server': 'tv',
      'gatehouse.mcp.tool': 'say',
      'http.response.status_code': 200,
      // What the result costs the model, in o200k_base tokens.
      'gatehouse.mcp.tokens': countTokens(shown),
    });
    expect(client).toMatchObject({ name: 'tools/call echo', parentSpanId: server.spanId });
    expect(client.attributes).toMatchObject({ 'server.address': '127.0.0.1', 'gatehouse.mcp.upstream': 'traced' });
    const expected = traceparent(trace, client.spanId);
    expect(mcpUpstream.traceparents.length).toBeGreaterThan(0);
    expect(mcpUpstream.traceparents.every((tp) => tp === expected)).toBe(true);
    expect(mcpUpstream.metas.at(-1)).toMatchObject({ traceparent: expected });
    // Its request-log entry is exported as a log record too, like every other call's.
    const until = Date.now() + 10_000;
    while (!receiver.logs.some((l) => l.attributes['gatehouse.channel'] === 'federation') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(receiver.logs.find((l) => l.attributes['gatehouse.channel'] === 'federation')).toBeDefined();
    // The log records carry the tokens too: returned by the call, listed by the listing.
    const logOf = (method: string) => receiver.logs.find((l) => l.attributes['gatehouse.mcp.server'] === 'tv' && l.attributes['mcp.method.name'] === method);
    for (let i = 0; i < 100 && !logOf('tools/call'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(logOf('tools/call')?.attributes).toMatchObject({ 'gatehouse.mcp.tokens': countTokens(shown), 'gatehouse.mcp.tool': 'say → traced/echo' });
    expect(logOf('tools/list')?.attributes['gatehouse.mcp.tokens']).toBe(countTokens(listing));
  });
});
