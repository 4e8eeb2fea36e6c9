import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallTrace, RequestRecord } from '../../src/core/index.js';
import { OtlpEncoder, HEADROOM, type OtlpChunk } from '../../src/telemetry/otel/otlp-records.js';
import { ProtobufWriter } from '../../src/telemetry/otel/protobuf-writer.js';
import { spansOfRecord } from '../../src/telemetry/otel/record-spans.js';
import { forEachRowCells, RecordBatch } from '../../src/telemetry/record-batch.js';
import { decodeLogs, decodeTraces } from '../support/otlp-protobuf.js';

// The writer thread writes a call's log record and spans straight from its row's bytes
// (row-records.ts). They must be the very bytes the record-object encoder writes for the same call
// (and what a collector decodes from them): every id, time, flag, status and attribute.

const TIME = '2026-11-24T10:00:00.250Z';

const record = (over: Partial<RequestRecord>): RequestRecord => ({
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  requestId: 'req-1',
  time: TIME,
  channel: 'mcp',
  collectionId: 'col_1',
  proxyId: 'prx_1',
  endpointId: 'end_1',
  clientId: 'cli_1',
  profileId: 'prf_1',
  method: 'POST',
  path: '/orders/1/ünïcode',
  status: 200,
  latencyMs: 12.5,
  upstreamLatencyMs: 7,
  bytesIn: 17,
  bytesOut: 321,
  ip: '::1',
  userAgent: 'tést agent',
  errorCode: null,
  mcpClient: 'claude',
  mcpTool: 'execute_call',
  requestBody: '{"big":"body ✓"}',
  responseBody: 'x'.repeat(300),
  workflow: null,
  subject: 'user:usr_1',
  actor: 'service:agent',
  mcpMethod: 'tools/call',
  ...over,
});

const trace = (over: Partial<CallTrace>): CallTrace => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: null,
  parentRemote: false,
  traceFlags: 1,
  traceState: null,
  startMs: 1_764_000_000_123.456,
  endMs: 1_764_000_000_140.5,
  route: '/orders/{id}',
  collectionSlug: 'shop',
  workflowId: null,
  workflowVersion: null,
  guardrails: null,
  upstreams: [],
  ...over,
});

const upstream = (attempt: number, over: Partial<CallTrace['upstreams'][number]> = {}): CallTrace['upstreams'][number] => ({
  spanId: `00f067aa0ba902b${attempt}`,
  startMs: 1_764_000_000_125 + attempt,
  endMs: 1_764_000_000_130.25 + attempt,
  status: 200,
  error: null,
  host: 'api.example.com',
  port: 443,
  attempt,
  routeNode: null,
  routeGroup: null,
  ...over,
});

const CASES: Array<[string, RequestRecord]> = [
  ['an unsampled MCP call with bodies', record({})],
  [
    'an unsampled call with nothing optional',
    record({
      requestId: null,
      collectionId: null,
      proxyId: null,
      endpointId: null,
      clientId: null,
      profileId: null,
      upstreamLatencyMs: null,
      ip: null,
      userAgent: null,
      mcpClient: null,
      mcpTool: null,
      requestBody: null,
      responseBody: null,
      subject: null,
      actor: null,
      mcpMethod: null,
      channel: 'rest',
      method: 'GET',
      path: '/',
    }),
  ],
  ['a sampled call', record({ channel: 'rest', trace: trace({ upstreams: [upstream(1)] }) })],
  [
    'a failed sampled call with retries, a remote parent and trace state',
    record({
      status: 502,
      errorCode: 'GATEHOUSE_UPSTREAM_UNREACHABLE',
      latencyMs: 1003.75,
      trace: trace({
        parentSpanId: '00f067aa0ba902b7',
        parentRemote: true,
        traceState: 'vendor=x,other=y',
        traceFlags: 1,
        upstreams: [upstream(1, { status: 503 }), upstream(2, { status: null, error: 'GATEHOUSE_UPSTREAM_TIMEOUT', endMs: 0 })],
      }),
    }),
  ],
  ['a client error refused upstream', record({ status: 404, channel: 'rest', trace: trace({ route: null, upstreams: [upstream(1, { status: 404 })] }) })],
  [
    'a workflow call with guardrails and a route node',
    record({
      workflow: 'wf_1',
      trace: trace({
        workflowId: 'wf_1',
        workflowVersion: 3,
        guardrails: 'scan:redacted email=2; hold:held ap_42',
        upstreams: [upstream(1, { routeNode: 'route_a', routeGroup: 'blue' }), upstream(2, { routeNode: 'route_b', routeGroup: null })],
      }),
    }),
  ],
  ['an anonymous sampled call (no proxy)', record({ proxyId: null, collectionId: null, trace: trace({ collectionSlug: null, traceFlags: 0 }) })],
];

/** A chunk's records wrapped in one resource and scope, as the request a collector receives. */
function request(chunk: OtlpChunk | null): Buffer {
  if (chunk === null) return Buffer.alloc(0);
  const w = new ProtobufWriter(chunk.length + 16);
  w.tag(1, 2);
  const resource = w.begin();
  w.tag(2, 2);
  const scope = w.begin();
  w.raw(new Uint8Array(chunk.bytes, HEADROOM, chunk.length - HEADROOM));
  w.end(scope);
  w.end(resource);
  return Buffer.from(w.finish());
}

function byRecords(records: RequestRecord[]) {
  const encoder = new OtlpEncoder();
  for (const r of records) {
    for (const span of spansOfRecord(r)) encoder.span(span);
    encoder.requestLog(r);
  }
  return encoder.take();
}

function byRows(records: RequestRecord[]) {
  const batch = new RecordBatch(records.length);
  for (const r of records) batch.push(r, r.time);
  const encoder = new OtlpEncoder();
  let row = 0;
  forEachRowCells(batch.take(), (cells) => {
    const t = records[row++]!.trace;
    if (t) {
      encoder.serverSpan(cells, t);
      for (let i = 0; i < t.upstreams.length; i++) encoder.clientSpan(cells, t, i);
    }
    encoder.rowLog(cells);
  });
  return encoder.take();
}

describe('OTLP written straight from request-log rows', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(CASES)('writes %s as the record encoder does', (_, r) => {
    vi.spyOn(Date, 'now').mockReturnValue(1_764_000_001_000);
    const old = byRecords([r]);
    const rows = byRows([r]);
    expect(rows.requestLogs?.count).toBe(1);
    expect(rows.spans?.count ?? 0).toBe(r.trace ? 1 + r.trace.upstreams.length : 0);
    expect(request(rows.requestLogs).equals(request(old.requestLogs))).toBe(true);
    expect(request(rows.spans).equals(request(old.spans))).toBe(true);
    expect(decodeLogs(request(rows.requestLogs))).toEqual(decodeLogs(request(old.requestLogs)));
    expect(decodeTraces(request(rows.spans))).toEqual(decodeTraces(request(old.spans)));
  });

  it('writes a whole batch (shared strings cached per batch) as the record encoder does, and a collector reads it', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_764_000_001_000);
    const records = [...CASES.map(([, r]) => r), ...CASES.map(([, r], i) => ({ ...r, id: `log-${i}`, requestId: `req-${i}`, path: `/p/${i % 2}` }))];
    const old = byRecords(records);
    const rows = byRows(records);
    expect(request(rows.requestLogs).equals(request(old.requestLogs))).toBe(true);
    expect(request(rows.spans).equals(request(old.spans))).toBe(true);
    const logs = decodeLogs(request(rows.requestLogs));
    expect(logs).toHaveLength(records.length);
    expect(logs[0]).toMatchObject({
      body: 'POST /orders/1/ünïcode 200',
      severityText: 'INFO',
      eventName: 'gatehouse.request',
      attributes: { 'gatehouse.log.id': records[0]!.id, 'user_agent.original': 'tést agent', 'gatehouse.latency_ms': 12.5, 'mcp.method.name': 'tools/call' },
    });
    expect(logs[0]!.timeMs).toBeCloseTo(Date.parse(TIME), 2);
    expect(logs[0]!.attributes).not.toHaveProperty('gatehouse.request.body');
    const spans = decodeTraces(request(rows.spans));
    const guarded = spans.find((s) => s.attributes['gatehouse.workflow.id'] === 'wf_1' && s.kind === 2);
    expect(guarded?.attributes).toMatchObject({ 'gatehouse.guardrail.action': 'held', 'gatehouse.approval.id': 'ap_42', 'gatehouse.workflow.version': 3 });
    const timedOut = spans.find((s) => s.attributes['error.type'] === 'GATEHOUSE_UPSTREAM_TIMEOUT');
    expect(timedOut).toMatchObject({ kind: 3, status: { code: 2, message: 'GATEHOUSE_UPSTREAM_TIMEOUT' }, endMs: 1_764_000_000_140.5 });
  });

  it('writes runs of alike calls (each record copied from the last and its changing fields rewritten) as the record encoder does', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_764_000_001_000);
    // A seeded walk over what changes from call to call: ids, times and latencies every time; now
    // and then a field's length (a request id, a path, a latency's width), whether it is there at
    // all, or what the rest of the record is keyed by (status, client, route, parent, attempts).
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      // The high bits: an LCG's low bits repeat with a short period.
      return Math.floor(seed / 2 ** 16) % n;
    };
    const hex = (digits: number) => Array.from({ length: digits }, () => '0123456789abcdef'[1 + rand(15)]).join('');
    const records: RequestRecord[] = [];
    for (let n = 0; n < 400; n++) {
      const rare = (odds: number) => rand(odds) === 0;
      const start = 1_764_000_000_000 + n * 3.125;
      const attempts = rare(10) ? 2 : rare(20) ? 0 : 1;
      const status = rare(15) ? 503 : rare(15) ? 404 : 200;
      records.push(
        record({
          id: `0193a1b2-c3d4-7e5f-8a9b-${String(n).padStart(12, '0')}`,
          requestId: rare(8) ? null : `req-${rare(5) ? n * 1000 : n}`,
          time: new Date(1_764_000_000_000 + Math.floor(n / 3)).toISOString(),
          channel: rare(20) ? 'mcp' : 'rest',
          clientId: rare(12) ? 'cli_2' : 'cli_1',
          path: rare(6) ? `/orders/${n}/ünïcode` : `/orders/${n % 10}`,
          status,
          errorCode: status === 503 ? 'GATEHOUSE_UPSTREAM_UNREACHABLE' : null,
          latencyMs: rare(4) ? n : n + 0.5,
          upstreamLatencyMs: rare(7) ? null : rare(3) ? n * 1000 : 0.25,
          bytesOut: rare(5) ? 2 ** 20 + n : 321,
          ip: rare(9) ? null : '::1',
          proxyId: rare(25) ? null : 'prx_1',
          trace: rare(10)
            ? undefined
            : trace({
                traceId: hex(32),
                spanId: hex(16),
                parentSpanId: rare(4) ? hex(16) : null,
                parentRemote: rare(2),
                traceFlags: 1,
                traceState: rare(30) ? 'vendor=x' : null,
                startMs: start,
                endMs: start + 1 + rand(100) / 8,
                route: rare(10) ? null : rare(5) ? '/orders/{id}/{detail}' : '/orders/{id}',
                collectionSlug: rare(20) ? null : 'shop',
                upstreams: Array.from({ length: attempts }, (_, i) =>
                  upstream(i + 1, {
                    spanId: hex(16),
                    startMs: start + 0.5,
                    endMs: rare(20) ? 0 : start + 0.75,
                    status: status === 200 ? 200 : status,
                    port: rare(10) ? 8443 : 443,
                    host: rare(10) ? 'eu.api.example.com' : 'api.example.com',
                  }),
                ),
              }),
        }),
      );
    }
    const old = byRecords(records);
    const rows = byRows(records);
    expect(rows.requestLogs?.count).toBe(records.length);
    expect(request(rows.requestLogs).equals(request(old.requestLogs))).toBe(true);
    expect(request(rows.spans).equals(request(old.spans))).toBe(true);
    const spans = decodeTraces(request(rows.spans));
    expect(spans).toHaveLength(records.reduce((n, r) => n + (r.trace ? 1 + r.trace.upstreams.length : 0), 0));
    expect(decodeLogs(request(rows.requestLogs)).map((l) => l.attributes['gatehouse.request.id'])).toEqual(records.map((r) => r.requestId ?? undefined));
  });
});
