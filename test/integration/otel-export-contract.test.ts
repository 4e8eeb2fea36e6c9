import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, CallTrace, RequestRecord } from '../../src/core/index.js';
import { type BatchExport, createBatchExport } from '../../src/telemetry/otel/batch-export.js';
import type { OtelSettings } from '../../src/telemetry/otel/settings.js';
import type { SpanRecord } from '../../src/telemetry/otel/span-record.js';
import { TraceSection } from '../../src/telemetry/otel/trace-section.js';
import { createCallTracer } from '../../src/telemetry/otel/tracer.js';
import { startOtelExport } from '../../src/telemetry/otel/export.js';
import { RecordBatch } from '../../src/telemetry/record-batch.js';
import { type ReceivedLog, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';

/**
 * The contract of the OTLP export (sink.ts): every implementation, run as the request-log writer's
 * thread runs it (createBatchExport: a batch's rows, its trace section, spans and audit entries
 * beside), must deliver the same spans and log records to a real OTLP/HTTP receiver, batch, retry a
 * collector that answers 503, stay bounded (drops counted) when the collector is down, and flush on
 * shutdown. The row encoder is the fast path; GATEHOUSE_FAST_PATHS=off runs the SDK's exporters for
 * every protocol (and `http/json` always does).
 */
const IMPLEMENTATIONS: Array<[string, Pick<OtelSettings, 'protocol' | 'fastPaths'>]> = [
  ['the row encoder (fast path, http/protobuf)', { protocol: 'http/protobuf', fastPaths: true }],
  ['the OTel SDK exporter (GATEHOUSE_FAST_PATHS=off, http/protobuf)', { protocol: 'http/protobuf', fastPaths: false }],
  ['the OTel SDK exporter (http/json)', { protocol: 'http/json', fastPaths: true }],
];

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const START = 1_764_000_000_123.5;

const record = (n: number, status: number, trace?: CallTrace): RequestRecord => ({
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
  upstreamLatencyMs: n === 1 ? 7.25 : null,
  bytesIn: 17,
  bytesOut: 321,
  ip: '::1',
  userAgent: 'tést agent',
  errorCode: status >= 500 ? 'GATEHOUSE_UPSTREAM_UNREACHABLE' : null,
  mcpClient: 'claude',
  mcpTool: 'execute_call',
  requestBody: '{"secret":"not exported"}',
  responseBody: null,
  workflow: null,
  subject: n % 2 === 0 ? `user:usr_${n}` : null,
  actor: null,
  mcpMethod: n === 3 ? 'tools/list' : null,
  ...(trace ? { trace } : {}),
});

const trace = (over: Partial<CallTrace>): CallTrace => ({
  traceId: CALLER_TRACE,
  spanId: '1111111111111111',
  parentSpanId: null,
  parentRemote: false,
  traceFlags: 1,
  traceState: null,
  startMs: START,
  endMs: START + 17.25,
  route: '/orders/{id}',
  collectionSlug: 'shop',
  workflowId: null,
  workflowVersion: null,
  guardrails: null,
  upstreams: [],
  ...over,
});

const upstream = (attempt: number, status: number | null, error: string | null = null): CallTrace['upstreams'][number] => ({
  spanId: `222222222222222${attempt}`,
  startMs: START + attempt,
  endMs: START + attempt + 5.5,
  status,
  error,
  host: 'api.example.com',
  port: 443,
  attempt,
  routeNode: null,
  routeGroup: null,
});

const audit = (n: number): AuditEntry => ({
  id: `aud_${n}`,
  seq: n,
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
});

/** A batch as the writer thread receives it: the records' rows and their sampled traces beside. */
function batchOf(records: RequestRecord[]) {
  const batch = new RecordBatch(records.length);
  const traces = new TraceSection();
  records.forEach((r, row) => {
    batch.push(r, r.time);
    if (r.trace) traces.push(row, r.trace);
  });
  return { batch: batch.take(), traces: traces.take() };
}

/** A federated tool call's span, ended by the tracer itself (continuing a caller's context, with a CLIENT child). */
function tracerSpans(): SpanRecord[] {
  const out: SpanRecord[] = [];
  const tracer = createCallTracer((s) => out.push(s));
  const call = tracer.startCall(
    'tools/call search',
    { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'vendor=abc' },
    { 'gatehouse.channel': 'mcp' },
  );
  const up = call.startUpstream('upstream POST', { 'server.address': '127.0.0.1', 'server.port': 8080, 'gatehouse.upstream.attempt': 1 });
  up.end({ status: 404 });
  call.setAttributes({ 'gatehouse.upstream_latency_ms': 1.375, 'gatehouse.flag': true, 'gatehouse.negative': -3 });
  call.end({ status: 200 });
  return out;
}

const TRACER_SPANS = tracerSpans();

/** Three finished calls: sampled with an upstream, unsampled, and failed after retries under a caller's remote span. */
const CALLS = [
  record(1, 200, trace({ upstreams: [upstream(1, 200)] })),
  record(2, 404),
  record(
    3,
    502,
    trace({
      spanId: '3333333333333333',
      parentSpanId: CALLER_SPAN,
      parentRemote: true,
      traceState: 'vendor=x',
      upstreams: [upstream(1, 503), upstream(2, null, 'GATEHOUSE_UPSTREAM_TIMEOUT')],
    }),
  ),
];

/** What every implementation must deliver for the same calls, minus times (checked apart): collected per implementation, compared at the end. */
const delivered = new Map<string, unknown>();

const byId = <T extends { spanId: string }>(list: T[]) => [...list].sort((a, b) => a.spanId.localeCompare(b.spanId));
const logKey = (l: ReceivedLog) => `${l.scope}:${String(l.attributes['gatehouse.log.id'] ?? l.attributes['gatehouse.audit.id'])}`;

// An UNSET status may be left out (proto3's default) or written: the same to a collector.
const untimed = ({ startMs: _s, endMs: _e, status, ...rest }: ReceivedSpan) => ({
  ...rest,
  status: { code: status?.code ?? 0, message: status?.message || undefined },
});
const timeless = ({ timeMs: _t, ...rest }: ReceivedLog) => rest;

/** What a receiver got, in a fixed order and without the times (checked apart). */
function comparable(spans: ReceivedSpan[], logs: ReceivedLog[]) {
  return { spans: byId(spans).map(untimed), logs: [...logs].sort((a, b) => logKey(a).localeCompare(logKey(b))).map(timeless) };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe.each(IMPLEMENTATIONS)('OTLP export contract: %s', (name, impl) => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let exporter: BatchExport | null = null;
  const open = (over: Partial<OtelSettings> = {}) => {
    exporter = createBatchExport({ endpoint: receiver.endpoint, serviceName: 'contract', scheduledDelayMillis: 20, ...impl, ...over });
    return exporter;
  };
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await exporter?.shutdown();
    exporter = null;
    await receiver.close();
  });

  it('delivers the spans and log records of finished calls: ids, parents, kinds, times, status, attributes, scopes and resource', async () => {
    const { batch, traces } = batchOf(CALLS);
    const exp = open();
    exp.add(batch, { traces, spans: TRACER_SPANS, audits: [audit(1)] });
    await exp.flush();
    await until(() => receiver.spans.length >= 7 && receiver.logs.length >= 4);

    expect(receiver.requests.every((r) => r.contentType?.startsWith(impl.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf'))).toBe(true);
    expect(receiver.spans).toHaveLength(7);
    expect(receiver.logs).toHaveLength(4);
    for (const item of [...receiver.spans, ...receiver.logs]) expect(item.resource).toEqual({ 'service.name': 'contract' });

    // Times: the trace's own, to the microsecond.
    const server = receiver.spans.find((s) => s.spanId === '1111111111111111')!;
    expect(server).toMatchObject({ kind: 2, parentSpanId: undefined, flags: 0x101, attributes: { 'http.response.status_code': 200 } });
    expect(server.startMs).toBeCloseTo(START, 3);
    expect(server.endMs).toBeCloseTo(START + 17.25, 3);
    const retry = receiver.spans.find((s) => s.spanId === '2222222222222222' && s.parentSpanId === '3333333333333333')!;
    expect(retry).toMatchObject({ kind: 3, status: { code: 2, message: 'GATEHOUSE_UPSTREAM_TIMEOUT' } });
    expect(retry.startMs).toBeCloseTo(START + 2, 3);
    const remote = receiver.spans.find((s) => s.spanId === '3333333333333333')!;
    expect(remote).toMatchObject({ kind: 2, parentSpanId: CALLER_SPAN, status: { code: 2 }, attributes: { 'http.response.status_code': 502 } });
    const federated = receiver.spans.find((s) => s.name === 'tools/call search')!;
    expect(federated).toMatchObject({
      traceId: CALLER_TRACE,
      parentSpanId: CALLER_SPAN,
      kind: 2,
      // SpanFlags: sampled, parent known (0x100) and remote (0x200).
      flags: 0x301,
    });
    expect(federated.attributes).toEqual({
      'gatehouse.channel': 'mcp',
      'gatehouse.upstream_latency_ms': 1.375,
      'gatehouse.flag': true,
      'gatehouse.negative': -3,
      'http.response.status_code': 200,
    });
    expect(receiver.spans.find((s) => s.parentSpanId === federated.spanId)).toMatchObject({
      parentSpanId: federated.spanId,
      kind: 3,
      flags: 0x101,
      status: { code: 2 },
      attributes: { 'error.type': '404', 'server.port': 8080 },
    });

    const request = receiver.logs.find((l) => l.attributes['gatehouse.log.id'] === 'log-3')!;
    expect(request).toMatchObject({
      scope: 'gatehouse.request-log',
      body: 'POST /orders/3/ünïcode 502',
      severityText: 'ERROR',
      eventName: 'gatehouse.request',
      severityNumber: 17,
    });
    expect(request.attributes).toEqual({
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
    expect(request.timeMs).toBeCloseTo(Date.parse('2026-11-24T10:00:00.250Z'), 3);
    const audited = receiver.logs.find((l) => l.scope === 'gatehouse.audit')!;
    expect(audited.timeMs).toBeCloseTo(Date.parse('2026-11-24T10:00:01.125Z'), 3);
    expect(audited).toMatchObject({
      body: 'carol collections.delete denied',
      severityText: 'WARN',
      attributes: { 'gatehouse.audit.seq': 1, 'gatehouse.outcome': 'denied', 'error.type': 'GATEHOUSE_FORBIDDEN', 'http.response.status_code': 403 },
    });

    // Everything else (every attribute, flag and status) must be what the other implementations deliver.
    delivered.set(name, comparable(receiver.spans, receiver.logs));
    expect(exp.takeDrops()).toBeUndefined();
  });

  it('delivers the same from record objects on the calling thread (startOtelExport) as from rows', async () => {
    const fromRows = createBatchExport({ endpoint: receiver.endpoint, serviceName: 'contract', scheduledDelayMillis: 20, ...impl });
    const { batch, traces } = batchOf(CALLS);
    fromRows.add(batch, { traces, spans: [], audits: [audit(1)] });
    await fromRows.shutdown();
    const rows = comparable(receiver.spans.splice(0), receiver.logs.splice(0));
    const otel = startOtelExport({ endpoint: receiver.endpoint, serviceName: 'contract', scheduledDelayMillis: 20, ...impl });
    for (const r of CALLS) otel.logs.emitRequestLog(r);
    otel.logs.emitAudit(audit(1));
    await otel.shutdown();
    expect(rows.spans).toHaveLength(5);
    expect(rows.logs).toHaveLength(4);
    expect(comparable(receiver.spans, receiver.logs)).toEqual(rows);
  });

  it('sends at most maxExportBatchSize records a request', async () => {
    const exp = open({ maxExportBatchSize: 2 });
    const { batch } = batchOf([1, 2, 3, 4, 5].map((n) => record(n, 200)));
    exp.add(batch, undefined);
    await exp.flush();
    await until(() => receiver.logs.length >= 5);
    expect(receiver.logs.map((l) => l.attributes['gatehouse.log.id']).sort()).toEqual(['log-1', 'log-2', 'log-3', 'log-4', 'log-5']);
    expect(receiver.requests.filter((r) => r.path === '/v1/logs')).toHaveLength(3);
  });

  it('retries a collector that answers 503, with back-off, and delivers once it recovers', async () => {
    receiver.state.mode = 'fail';
    const exp = open();
    exp.add(batchOf([record(1, 200)]).batch, { traces: null, spans: [], audits: [audit(2)] });
    const flushed = exp.flush();
    await until(() => receiver.requests.length >= 1);
    receiver.state.mode = 'ok';
    await flushed;
    await until(() => receiver.logs.length >= 2);
    expect(receiver.logs.map(logKey).sort()).toEqual(['gatehouse.audit:aud_2', 'gatehouse.request-log:log-1']);
    expect(receiver.requests.length).toBeGreaterThan(1);
    expect(exp.takeDrops()).toBeUndefined();
  });

  it('stays bounded while the collector does not answer: beyond maxQueueSize records are dropped and counted', async () => {
    receiver.state.mode = 'hang';
    const exp = open({ maxQueueSize: 100, maxExportBatchSize: 50, exportTimeoutMillis: 300 });
    const records = Array.from({ length: 1_000 }, (_, n) => record(n, 200));
    exp.add(batchOf(records).batch, undefined);
    const counted = { overflow: 0, export_failed: 0 };
    const tally = () => {
      for (const [signal, reason, n] of exp.takeDrops() ?? []) {
        expect(signal).toBe('logs');
        counted[reason] += n;
      }
      return counted.overflow + counted.export_failed === records.length;
    };
    tally();
    // What is queued and in flight at most: maxQueueSize encoded and as many again sent (the row encoder), or maxQueueSize (the SDK's processors).
    expect(counted.overflow).toBeGreaterThanOrEqual(records.length - 200);
    await exp.flush();
    // Every record kept is lost to the hanging collector in time, and counted as a failed export.
    await until(tally);
    expect(counted.overflow + counted.export_failed).toBe(records.length);
    expect(counted.export_failed).toBeGreaterThan(0);
    expect(receiver.logs).toHaveLength(0);
  });

  it('sends what it holds when shut down', async () => {
    const exp = open({ scheduledDelayMillis: 60_000 });
    const { batch, traces } = batchOf([record(1, 200, trace({}))]);
    exp.add(batch, { traces, spans: [], audits: [audit(3)] });
    await exp.shutdown();
    exporter = null;
    expect(receiver.spans.map((s) => s.spanId)).toEqual(['1111111111111111']);
    expect(receiver.logs.map(logKey).sort()).toEqual(['gatehouse.audit:aud_3', 'gatehouse.request-log:log-1']);
  });
});

describe('OTLP export contract: every implementation', () => {
  afterAll(() => delivered.clear());
  it('delivered the same spans and log records for the same calls', () => {
    const [first, ...rest] = IMPLEMENTATIONS.map(([name]) => delivered.get(name));
    expect(first).toBeDefined();
    for (const other of rest) expect(other).toEqual(first);
  });
});
