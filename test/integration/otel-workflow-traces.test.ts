import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/**
 * Traces of calls that run a workflow, as a collector receives them: the upstream request a route
 * node sends the call to is a CLIENT child of the call's SERVER span, names the node and its group,
 * and the upstream of that group gets the child span's own W3C context.
 */

const traceparent = (trace: string, span: string) => `00-${trace}-${span}-01`;

let g: WorkflowGateway;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let workflow: { id: string; version: number };
/** An upstream that answers 404 to everything, remembering the traceparent of each request. */
let gone: { server: Server; url: string; traceparents: (string | undefined)[] };

/** The spans of one trace once `count` of them have arrived (the exporter sends batches every 100 ms to a second). */
async function spansOf(traceId: string, count: number): Promise<ReceivedSpan[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const found = receiver.spans.filter((s) => s.traceId === traceId);
    if (found.length >= count || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function serverAndClient(spans: ReceivedSpan[]): { server: ReceivedSpan; client: ReceivedSpan } {
  const server = spans.find((s) => s.kind === 2);
  const client = spans.find((s) => s.kind === 3);
  expect(server, JSON.stringify(spans)).toBeDefined();
  expect(client, JSON.stringify(spans)).toBeDefined();
  return { server: server!, client: client! };
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const traceparents: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    traceparents.push(req.headers.traceparent as string | undefined);
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"gone"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  gone = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, traceparents };
  g = await startWorkflowGateway({ otel: { endpoint: receiver.endpoint, serviceName: 'gh-workflow-traces' } });
  workflow = await g.attach({
    request: [
      // A workflow cannot forge the upstream's parent: the gateway's own context replaces this one.
      { type: 'set_headers', id: 'forge', headers: { traceparent: traceparent('9'.repeat(32), '9'.repeat(16)) } },
      {
        type: 'condition',
        id: 'which',
        expression: '"x-group" in request.headers || "expand" in request.query',
        then: [
          {
            type: 'route',
            id: 'pick',
            groups: [
              {
                name: 'canary',
                upstreams: [g.canary.url],
                when: '("x-group" in request.headers && request.headers["x-group"] == "canary") || ("expand" in request.query && request.query.expand == "tags")',
              },
              { name: 'down', upstreams: ['http://127.0.0.1:9'], when: 'request.headers["x-group"] == "down"' },
              { name: 'gone', upstreams: [gone.url], when: 'request.headers["x-group"] == "gone"' },
            ],
          },
        ],
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  await g?.close();
  await receiver?.close();
  gone?.server.close();
});

describe('OpenTelemetry traces of workflow calls', () => {
  it('a REST call routed by a route node: the upstream request is a CLIENT child naming the node and group, and the group’s upstream gets its traceparent', async () => {
    const trace = '1a'.repeat(16);
    const res = await g.send('GET', '/echo?q=1', {
      headers: { 'x-group': 'canary', traceparent: traceparent(trace, '1b'.repeat(8)), tracestate: 'vendor=wf' },
    });
    expect(res.status).toBe(200);
    expect(res.body.upstream).toBe('canary');
    const { server, client } = serverAndClient(await spansOf(trace, 2));
    expect(server).toMatchObject({ name: 'GET /wf/v1/echo', parentSpanId: '1b'.repeat(8), resource: { 'service.name': 'gh-workflow-traces' } });
    expect(server.attributes).toMatchObject({
      'gatehouse.workflow.id': workflow.id,
      'gatehouse.workflow.version': workflow.version,
      'http.response.status_code': 200,
    });
    expect(client).toMatchObject({ name: 'upstream GET', parentSpanId: server.spanId });
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(g.canary.url).port),
      'http.response.status_code': 200,
      'gatehouse.upstream.attempt': 1,
      'gatehouse.workflow.id': workflow.id,
      'gatehouse.workflow.version': workflow.version,
      'gatehouse.workflow.node.id': 'pick',
      'gatehouse.workflow.node.type': 'route',
      'gatehouse.workflow.route.group': 'canary',
    });
    expect(client.status?.code ?? 0).toBe(0);
    // What the canary received: the CLIENT span's context (not the caller's, not the workflow's forged one), and the caller's tracestate.
    expect(res.body.headers.traceparent).toBe(traceparent(trace, client.spanId));
    expect(res.body.headers.tracestate).toBe('vendor=wf');
  });

  it('a call the workflow leaves on the proxy’s own upstreams has a CLIENT child with the workflow but no node', async () => {
    const trace = '2a'.repeat(16);
    const res = await g.send('GET', '/items/3', { headers: { traceparent: traceparent(trace, '2b'.repeat(8)) } });
    expect(res.status).toBe(200);
    expect(res.body.upstream).toBe('stable');
    const { server, client } = serverAndClient(await spansOf(trace, 2));
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.attributes).toMatchObject({ 'server.port': Number(new URL(g.upstream.url).port), 'gatehouse.workflow.id': workflow.id });
    expect(client.attributes['gatehouse.workflow.node.id']).toBeUndefined();
    expect(res.body.headers.traceparent).toBe(traceparent(trace, client.spanId));
  });

  it('a group whose upstream is unreachable: the CLIENT span records the error under its node, the SERVER span the 502', async () => {
    const trace = '3a'.repeat(16);
    const res = await g.send('GET', '/echo', { headers: { 'x-group': 'down', traceparent: traceparent(trace, '3b'.repeat(8)) } });
    expect(res.status).toBe(502);
    const { server, client } = serverAndClient(await spansOf(trace, 2));
    expect(client).toMatchObject({ parentSpanId: server.spanId, status: { code: 2 } });
    expect(client.attributes).toMatchObject({
      'server.port': 9,
      'error.type': 'GATEHOUSE_UPSTREAM_UNREACHABLE',
      'gatehouse.workflow.node.id': 'pick',
      'gatehouse.workflow.route.group': 'down',
    });
    expect(client.attributes['http.response.status_code']).toBeUndefined();
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 502, 'error.type': 'GATEHOUSE_UPSTREAM_UNREACHABLE' });
    expect(server.status?.code).toBe(2);
  });

  it('an upstream 4xx is an error on the CLIENT span (the status code as error.type, as HTTP client conventions have it) but not on the SERVER span', async () => {
    const trace = '4a'.repeat(16);
    const res = await g.send('GET', '/echo', { headers: { 'x-group': 'gone', traceparent: traceparent(trace, '4b'.repeat(8)) } });
    expect(res.status).toBe(404);
    const { server, client } = serverAndClient(await spansOf(trace, 2));
    expect(client).toMatchObject({ parentSpanId: server.spanId, status: { code: 2 } });
    expect(client.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404', 'gatehouse.workflow.route.group': 'gone' });
    expect(gone.traceparents.at(-1)).toBe(traceparent(trace, client.spanId));
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 404 });
    expect(server.attributes['error.type']).toBeUndefined();
    expect(server.status?.code ?? 0).toBe(0);
  });

  it('Gateway MCP execute_call runs the same workflow: its upstream request is a traced child too, continuing `_meta.traceparent`', async () => {
    const trace = '5a'.repeat(16);
    const res = await fetch(`${g.t.gh.urls.proxy}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'execute_call',
          arguments: { endpoint: 'GET /wf/v1/items/{id}', params: { path: { id: '8' }, query: { expand: 'tags' } } },
          _meta: { traceparent: traceparent(trace, '5b'.repeat(8)) },
        },
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    // JSON, or one server-sent event holding it.
    const answer = JSON.parse(
      text.startsWith('{')
        ? text
        : text
            .split('\n')
            .find((l) => l.startsWith('data: '))!
            .slice(6),
    ) as any;
    const result = answer.result?.structuredContent;
    expect(result?.status, JSON.stringify(answer)).toBe(200);
    const { server, client } = serverAndClient(await spansOf(trace, 2));
    expect(server).toMatchObject({ name: 'execute_call GET /wf/v1/items/{id}', parentSpanId: '5b'.repeat(8) });
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.attributes).toMatchObject({
      'gatehouse.workflow.node.id': 'pick',
      'gatehouse.workflow.route.group': 'canary',
      'http.response.status_code': 200,
    });
    const echoed = typeof result.body === 'string' ? JSON.parse(result.body) : result.body;
    expect(echoed.upstream).toBe('canary');
    expect(echoed.headers.traceparent).toBe(traceparent(trace, client.spanId));
  });
});
