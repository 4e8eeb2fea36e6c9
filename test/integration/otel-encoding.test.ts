import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, RequestRecord } from '../../src/core/index.js';
import { startOtelExport } from '../../src/telemetry/otel/index.js';
import { type ReceivedLog, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';

/**
 * The default export encodes spans and log records as OTLP protobuf on the main thread (no SDK
 * objects); `http/json` goes through the SDK's own serializers. The same calls exported both ways
 * must reach a collector as the same data: every id, time, flag, status, attribute and scope.
 */

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

const record = (n: number, status: number): RequestRecord => ({
  id: `log-${n}`,
  requestId: `req-${n}`,
  time: '2026-11-24T10:00:00.250Z',
  channel: 'mcp',
  collectionId: 'col_1',
  proxyId: 'prx_1',
  endpointId: null,
  clientId: 'cli_1',
  profileId: 'prf_1',
  method: 'POST',
  path: `/orders/${n}/ünïcode`,
  status,
  latencyMs: 12.5,
  upstreamLatencyMs: null,
  bytesIn: 17,
  bytesOut: 321,
  ip: '::1',
  userAgent: 'tést agent',
  errorCode: status >= 500 ? 'GATEHOUSE_UPSTREAM_UNREACHABLE' : null,
  mcpClient: 'claude',
  mcpTool: 'execute_call',
  requestBody: null,
  responseBody: null,
  workflow: null,
  subject: n % 2 === 0 ? `user:usr_${n}` : null,
  actor: n % 4 === 0 ? 'service:agent' : null,
  mcpMethod: n % 3 === 0 ? 'tools/list' : null,
});

const audit: AuditEntry = {
  id: 'aud_1',
  seq: 7,
  time: '2026-11-24T10:00:01.125Z',
  actor: { subject: 'usr_1', name: 'carol', kind: 'user' },
  channel: 'cli',
  clientApp: null,
  ip: '127.0.0.1',
  action: 'collections.delete',
  resourceType: 'collections',
  resourceId: 'col_1',
  outcome: 'denied',
  status: 403,
  errorCode: 'GATEHOUSE_FORBIDDEN',
  requestId: null,
  diff: null,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
};

/** Exports two calls (one continuing a caller's trace, one new and failing) and their logs, and returns what the receiver got. */
async function exportCalls(protocol: 'http/protobuf' | 'http/json', receiver: Awaited<ReturnType<typeof startOtlpReceiver>>, service: string) {
  const otel = startOtelExport({ endpoint: receiver.endpoint, protocol, serviceName: service, scheduledDelayMillis: 50 });
  const before = Date.now();
  const call = otel.tracer.startCall(
    'GET',
    { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'vendor=abc,other=x' },
    { 'gatehouse.channel': 'rest' },
  );
  const up = call.startUpstream('upstream GET', {
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': 8080,
    'gatehouse.upstream.attempt': 1,
  });
  up.end({ status: 404 });
  call.rename('GET /shop/orders/{id}');
  call.setAttributes({ 'url.path': '/shop/orders/ä', 'gatehouse.upstream_latency_ms': 1.375, 'gatehouse.flag': true, 'gatehouse.negative': -3 });
  call.end({ status: 404 });
  const fresh = otel.tracer.startCall('POST', {});
  const down = fresh.startUpstream('upstream POST', { 'server.port': 9 });
  down.end({ error: 'GATEHOUSE_UPSTREAM_UNREACHABLE' });
  fresh.end({ status: 502, errorCode: 'GATEHOUSE_UPSTREAM_UNREACHABLE' });
  otel.logs.emitRequestLog(record(1, 200));
  otel.logs.emitRequestLog(record(2, 404));
  otel.logs.emitRequestLog(record(3, 502));
  otel.logs.emitAudit(audit);
  await otel.flush();
  const after = Date.now();
  await otel.shutdown();
  const spans = receiver.spans.filter((s) => s.resource['service.name'] === service);
  const logs = receiver.logs.filter((l) => l.resource['service.name'] === service);
  return { spans, logs, before, after, ids: { call: call.spanId, up: up.headers.traceparent!.split('-')[2]!, fresh: fresh.traceId } };
}

/** A span without what differs from run to run (its random ids and times), with its ids' relations instead. */
function shape(span: ReceivedSpan, run: Awaited<ReturnType<typeof exportCalls>>) {
  const { spanId, parentSpanId, traceId, startMs, endMs, ...rest } = span;
  expect(startMs).toBeGreaterThanOrEqual(run.before - 1);
  expect(endMs).toBeGreaterThanOrEqual(startMs!);
  expect(endMs).toBeLessThanOrEqual(run.after + 1);
  return {
    ...rest,
    trace: traceId === CALLER_TRACE ? 'caller' : traceId === run.ids.fresh ? 'fresh' : traceId,
    self: spanId === run.ids.call ? 'call' : spanId === run.ids.up ? 'up' : 'other',
    parent: parentSpanId === undefined ? null : parentSpanId === CALLER_SPAN ? 'caller' : parentSpanId === run.ids.call ? 'call' : 'other',
  };
}

describe('OTLP protobuf encoded on the main thread matches the SDK’s own encoding', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('spans: ids, parents, kinds, times, flags, status, every attribute and the resource', async () => {
    const encoded = await exportCalls('http/protobuf', receiver, 'encoded-spans');
    const sdk = await exportCalls('http/json', receiver, 'sdk-spans');
    expect(encoded.spans).toHaveLength(4);
    expect(sdk.spans).toHaveLength(4);
    const byName = (run: typeof encoded) =>
      run.spans
        .map((s) => shape(s, run))
        .map(({ resource, ...rest }) => ({ ...rest, service: resource['service.name'] }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const mine = byName(encoded).map(({ service, ...rest }) => rest);
    const theirs = byName(sdk).map(({ service, ...rest }) => rest);
    // The SDK writes an unset status as an empty message; the encoder leaves it out (a collector reads both as unset).
    const unsetAsAbsent = (s: (typeof theirs)[number]) => (s.status?.code ? s : { ...s, status: undefined });
    expect(mine).toEqual(theirs.map(unsetAsAbsent));
    const server = mine.find((s) => s.name === 'GET /shop/orders/{id}')!;
    expect(server).toMatchObject({ kind: 2, trace: 'caller', self: 'call', parent: 'caller', flags: 0x301 });
    expect(server.attributes).toEqual({
      'gatehouse.channel': 'rest',
      'url.path': '/shop/orders/ä',
      'gatehouse.upstream_latency_ms': 1.375,
      'gatehouse.flag': true,
      'gatehouse.negative': -3,
      'http.response.status_code': 404,
    });
    expect(mine.find((s) => s.name === 'upstream GET')).toMatchObject({
      kind: 3,
      parent: 'call',
      flags: 0x101,
      status: { code: 2 },
      attributes: { 'error.type': '404' },
    });
    expect(mine.find((s) => s.name === 'POST')).toMatchObject({ trace: 'fresh', parent: null, status: { code: 2, message: 'GATEHOUSE_UPSTREAM_UNREACHABLE' } });
    expect(byName(encoded)[0]!.service).toBe('encoded-spans');
  });

  it('log records: scope, time, severity, body, event name and every attribute of request logs and audit entries', async () => {
    const encoded = await exportCalls('http/protobuf', receiver, 'encoded-logs');
    const sdk = await exportCalls('http/json', receiver, 'sdk-logs');
    const comparable = (logs: ReceivedLog[]) => logs.map(({ resource, ...rest }) => rest).sort((a, b) => String(a.body).localeCompare(String(b.body)));
    expect(encoded.logs).toHaveLength(4);
    expect(comparable(encoded.logs)).toEqual(comparable(sdk.logs));
    const failed = encoded.logs.find((l) => l.attributes['gatehouse.log.id'] === 'log-3')!;
    expect(failed).toMatchObject({
      scope: 'gatehouse.request-log',
      severityText: 'ERROR',
      severityNumber: 17,
      eventName: 'gatehouse.request',
      body: 'POST /orders/3/ünïcode 502',
      resource: { 'service.name': 'encoded-logs' },
    });
    // The receiver turns nanoseconds into a float of milliseconds: equal to well under a microsecond.
    expect(failed.timeMs).toBeCloseTo(Date.parse('2026-11-24T10:00:00.250Z'), 3);
    expect(failed.attributes).toEqual({
      'gatehouse.log.id': 'log-3',
      'gatehouse.request.id': 'req-3',
      'gatehouse.channel': 'mcp',
      'gatehouse.collection.id': 'col_1',
      'gatehouse.proxy.id': 'prx_1',
      'gatehouse.client.id': 'cli_1',
      'gatehouse.profile.id': 'prf_1',
      'http.request.method': 'POST',
      'url.path': '/orders/3/ünïcode',
      'http.response.status_code': 502,
      'gatehouse.latency_ms': 12.5,
      'http.request.body.size': 17,
      'http.response.body.size': 321,
      'client.address': '::1',
      'user_agent.original': 'tést agent',
      'error.type': 'GATEHOUSE_UPSTREAM_UNREACHABLE',
      'gatehouse.mcp.client': 'claude',
      'gatehouse.mcp.tool': 'execute_call',
      'mcp.method.name': 'tools/list',
    });
    const auditRecord = encoded.logs.find((l) => l.scope === 'gatehouse.audit')!;
    expect(auditRecord.timeMs).toBeCloseTo(Date.parse('2026-11-24T10:00:01.125Z'), 3);
    expect(auditRecord).toMatchObject({
      severityText: 'WARN',
      body: 'carol collections.delete denied',
      attributes: { 'gatehouse.audit.seq': 7, 'gatehouse.outcome': 'denied', 'error.type': 'GATEHOUSE_FORBIDDEN', 'http.response.status_code': 403 },
    });
  });
});
