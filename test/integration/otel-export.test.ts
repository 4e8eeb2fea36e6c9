import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, RequestRecord } from '../../src/core/index.js';
import { createOtelLogs, type DropReason, startOtelExport } from '../../src/telemetry/otel/index.js';
import { call, startTestGatehouse } from '../support/gatehouse.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { start as startUpstream } from '../support/upstream.js';

const record = (n: number, status = 200): RequestRecord => ({
  id: `log-${n}`,
  requestId: `req-${n}`,
  time: '2026-11-23T10:00:00.000Z',
  channel: 'rest',
  collectionId: 'col_1',
  proxyId: 'prx_1',
  endpointId: 'ep_1',
  clientId: 'cli_1',
  profileId: 'prf_1',
  method: 'GET',
  path: `/orders/${n}`,
  status,
  latencyMs: 12.5,
  upstreamLatencyMs: 10,
  bytesIn: 0,
  bytesOut: 321,
  ip: '127.0.0.1',
  userAgent: 'test',
  errorCode: status >= 500 ? 'GATEHOUSE_UPSTREAM_UNREACHABLE' : null,
  mcpClient: null,
  mcpTool: null,
  requestBody: null,
  responseBody: null,
  workflow: null,
  subject: null,
  actor: null,
  mcpMethod: null,
});

const entry: AuditEntry = {
  id: 'aud_1',
  seq: 7,
  time: '2026-11-23T10:00:01.000Z',
  actor: { subject: 'usr_1', name: 'carol', kind: 'user' },
  channel: 'cli',
  clientApp: 'gatehouse-cli',
  ip: '127.0.0.1',
  action: 'collections.create',
  resourceType: 'collections',
  resourceId: 'col_1',
  outcome: 'success',
  status: 201,
  errorCode: null,
  requestId: 'req-9',
  diff: { after: { slug: 'x' } },
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
};

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
}

describe('OpenTelemetry export over OTLP/HTTP to a real receiver', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('sends request logs and audit entries as log records, with their attributes and the service name (OTLP JSON)', async () => {
    const logs = createOtelLogs({ endpoint: receiver.endpoint, protocol: 'http/json', serviceName: 'gatehouse-test', headers: { 'x-api-key': 'k1' } });
    logs.emitRequestLog(record(1));
    logs.emitRequestLog(record(2, 502));
    logs.emitAudit(entry);
    await logs.flush();
    await logs.shutdown();
    const requests = receiver.logs.filter((l) => l.scope === 'gatehouse.request-log');
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({
      body: 'GET /orders/2 502',
      severityText: 'ERROR',
      resource: { 'service.name': 'gatehouse-test' },
      attributes: {
        'gatehouse.log.id': 'log-2',
        'http.request.method': 'GET',
        'url.path': '/orders/2',
        'http.response.status_code': 502,
        'gatehouse.client.id': 'cli_1',
        'error.type': 'GATEHOUSE_UPSTREAM_UNREACHABLE',
        'gatehouse.latency_ms': 12.5,
      },
    });
    expect(requests[0]!.attributes['gatehouse.mcp.tool']).toBeUndefined();
    const [audit] = receiver.logs.filter((l) => l.scope === 'gatehouse.audit');
    expect(audit).toMatchObject({
      body: 'carol collections.create success',
      attributes: {
        'gatehouse.actor.subject': 'usr_1',
        'gatehouse.channel': 'cli',
        'gatehouse.audit.seq': 7,
        'gatehouse.resource.id': 'col_1',
        'gatehouse.audit.hash': 'f'.repeat(64),
      },
    });
    const post = receiver.requests.find((r) => r.path === '/v1/logs')!;
    expect(post.contentType).toContain('application/json');
    expect(post.headers['x-api-key']).toBe('k1');
  });

  it('traces a call as a SERVER span continuing the caller’s traceparent, with a CLIENT child span for the upstream, exported by the worker (OTLP protobuf)', async () => {
    const otel = startOtelExport({ endpoint: receiver.endpoint });
    const tracer = otel.tracer;
    const incoming = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const call = tracer.startCall('GET /orders/{id}', incoming, { 'http.request.method': 'GET', 'gatehouse.collection.id': 'col_1' });
    expect(call.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(call.headers.traceparent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${call.spanId}-01`);
    const upstream = call.startUpstream('upstream GET', { 'server.address': '127.0.0.1' });
    const [, traceId, childId] = upstream.headers.traceparent!.split('-');
    expect(traceId).toBe(call.traceId);
    expect(childId).not.toBe(call.spanId);
    upstream.end({ status: 503 });
    call.end({ status: 502, errorCode: 'GATEHOUSE_UPSTREAM_UNREACHABLE' });

    const fresh = tracer.startCall('GET /health', { traceparent: 'not-a-traceparent' });
    expect(fresh.traceId).not.toBe(call.traceId);
    fresh.end({ status: 200 });
    // A caller's context that is not sampled is continued (flags 00) but not recorded.
    const unsampled = tracer.startCall('GET /unsampled', { traceparent: '00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' });
    expect(unsampled.headers.traceparent).toMatch(/^00-5bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    unsampled.end({ status: 200 });
    await otel.flush();
    await otel.shutdown();
    expect(receiver.spans.find((s) => s.name === 'GET /unsampled')).toBeUndefined();

    // A sample ratio of 0 records none of the traces the gateway starts, yet still follows a caller that samples.
    const sampled = startOtelExport({ endpoint: receiver.endpoint, tracesSampleRatio: 0 });
    const root = sampled.tracer.startCall('GET /root-unsampled', {});
    expect(root.headers.traceparent).toMatch(/-00$/);
    root.end({ status: 200 });
    sampled.tracer.startCall('GET /caller-sampled', { traceparent: '00-6bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }).end({ status: 200 });
    await sampled.shutdown();
    expect(receiver.spans.find((s) => s.name === 'GET /root-unsampled')).toBeUndefined();
    expect(receiver.spans.find((s) => s.name === 'GET /caller-sampled')).toBeDefined();

    const server = receiver.spans.find((s) => s.name === 'GET /orders/{id}')!;
    const client = receiver.spans.find((s) => s.name === 'upstream GET')!;
    expect(server).toMatchObject({ traceId: call.traceId, spanId: call.spanId, parentSpanId: '00f067aa0ba902b7', kind: 2 });
    expect(server.attributes).toMatchObject({
      'gatehouse.collection.id': 'col_1',
      'http.response.status_code': 502,
      'error.type': 'GATEHOUSE_UPSTREAM_UNREACHABLE',
    });
    expect(server.status?.code).toBe(2);
    expect(client).toMatchObject({
      traceId: call.traceId,
      spanId: childId,
      parentSpanId: call.spanId,
      kind: 3,
      attributes: { 'server.address': '127.0.0.1', 'http.response.status_code': 503 },
    });
    expect(receiver.requests.find((r) => r.path === '/v1/traces')!.contentType).toBe('application/x-protobuf');
    expect(receiver.spans.find((s) => s.name === 'GET /health')!.parentSpanId).toBeUndefined();
  });

  it('never blocks on a collector that does not answer: beyond the bound records are dropped and counted', async () => {
    receiver.state.mode = 'hang';
    const drops: Record<DropReason, number> = { overflow: 0, export_failed: 0 };
    const logs = createOtelLogs(
      { endpoint: receiver.endpoint, maxQueueSize: 100, maxExportBatchSize: 50, scheduledDelayMillis: 10, exportTimeoutMillis: 300 },
      (reason, n) => {
        drops[reason] += n;
      },
    );
    // Emitting never waits for the hanging collector: the overflow is counted by the loop's end.
    for (let i = 0; i < 5_000; i++) logs.emitRequestLog(record(i));
    expect(drops.overflow).toBeGreaterThanOrEqual(4_900);
    await logs.flush().catch(() => {});
    // Batches that timed out against the hanging collector are counted as failed exports.
    await new Promise((r) => setTimeout(r, 500));
    expect(drops.export_failed).toBeGreaterThan(0);
    await logs.shutdown().catch(() => {});

    // The same bound on the main thread, in front of the export worker: spans past it are dropped at once.
    let overflow = 0;
    const otel = startOtelExport({ endpoint: receiver.endpoint, maxQueueSize: 100, exportTimeoutMillis: 300 }, (signal, reason, n) => {
      if (signal === 'traces' && reason === 'overflow') overflow += n;
    });
    for (let i = 0; i < 5_000; i++) otel.tracer.startCall('GET /x', {}).end({ status: 200 });
    expect(overflow).toBeGreaterThanOrEqual(4_900);
    await otel.shutdown();
    receiver.state.mode = 'ok';
  });

  // The default (row encoder) gateway is exported in otel-traces.test.ts; this one runs the library.
  it('a gateway with GATEHOUSE_OTLP_ENDPOINT and GATEHOUSE_FAST_PATHS=off exports its proxied calls and audit entries through the SDK’s exporters', async () => {
    const upstream = await startUpstream();
    const t = await startTestGatehouse('sqlite', { fastPaths: false, otel: { endpoint: receiver.endpoint, serviceName: 'gh-node-1' } });
    try {
      const col = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'otel', name: 'OTel', published: true, allowAnonymous: true });
      const proxy = await call(t.api, t.adminToken, 'POST', '/proxies', { collectionId: col.body.id, name: 'O', basePath: '/otel', upstreams: [upstream.url] });
      await call(t.api, t.adminToken, 'POST', `/proxies/${proxy.body.id}/endpoints`, { proxyId: proxy.body.id, method: 'GET', path: '/orders' });
      expect((await fetch(`${t.gh.urls.proxy}/otel/orders`)).status).toBe(200);
      const until = Date.now() + 10_000;
      const seen = () => receiver.logs.filter((l) => l.resource['service.name'] === 'gh-node-1');
      while (
        Date.now() < until &&
        !(seen().some((l) => l.scope === 'gatehouse.request-log') && seen().filter((l) => l.scope === 'gatehouse.audit').length >= 3)
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const request = seen().find((l) => l.scope === 'gatehouse.request-log');
      expect(request?.attributes).toMatchObject({ 'url.path': '/otel/orders', 'http.response.status_code': 200, 'gatehouse.collection.id': col.body.id });
      const audits = seen().filter((l) => l.scope === 'gatehouse.audit');
      expect(audits.map((a) => a.attributes['gatehouse.action'])).toEqual(expect.arrayContaining(['collections.create', 'proxies.create', 'endpoints.create']));
      await waitFor(() => receiver.spans.some((s) => s.resource['service.name'] === 'gh-node-1' && s.name === 'GET /otel/orders'));
      // The SDK writes the call span's UNSET status; the row encoder leaves it out.
      expect(receiver.spans.find((s) => s.resource['service.name'] === 'gh-node-1' && s.name === 'GET /otel/orders')?.status).toMatchObject({ code: 0 });
    } finally {
      await t.close();
      await upstream.close();
    }
  });

  it('counts spans lost to a failing collector', async () => {
    receiver.state.mode = 'fail';
    let failed = 0;
    const otel = startOtelExport({ endpoint: receiver.endpoint, exportTimeoutMillis: 1_000 }, (signal, reason, n) => {
      if (signal === 'traces' && reason === 'export_failed') failed += n;
    });
    for (let i = 0; i < 3; i++) otel.tracer.startCall(`call ${i}`, {}).end({ status: 200 });
    await otel.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(failed).toBe(3);
    await otel.shutdown();
    receiver.state.mode = 'ok';
  });
});
