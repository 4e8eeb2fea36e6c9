import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallTrace, RequestRecord } from '../../src/core/index.js';
import { createRequestLogWriter, createTelemetryMetrics } from '../../src/telemetry/index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { databaseOptions, rec } from './telemetry-fixtures.js';

// The request-log writer as the export: its thread builds spans and log records from the batches the
// main thread sends (a sampled call's trace encoded beside its row), against a real OTLP receiver.

const quiet = { error: () => {} };

function traced(n: number, upstreams = 1): RequestRecord {
  const traceId = n.toString(16).padStart(32, '0');
  const trace: CallTrace = {
    traceId,
    spanId: `${n}`.padStart(16, 'a'),
    parentSpanId: '00f067aa0ba902b7',
    parentRemote: true,
    traceFlags: 1,
    traceState: 'vendor=x',
    startMs: Date.now() - 5,
    endMs: Date.now(),
    route: '/orders/{id}',
    collectionSlug: 'shop',
    workflowId: null,
    workflowVersion: null,
    guardrails: null,
    upstreams: Array.from({ length: upstreams }, (_, i) => ({
      spanId: `${n}${i}`.padStart(16, 'c'),
      startMs: Date.now() - 4,
      endMs: Date.now() - 1,
      status: i === upstreams - 1 ? 200 : 503,
      error: null,
      host: '127.0.0.1',
      port: 8080 + i,
      attempt: i + 1,
      routeNode: null,
      routeGroup: null,
    })),
  };
  return rec({ path: `/shop/orders/${n}`, trace });
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
}

// Both implementations of the export (the row encoder, and the SDK's exporters with GATEHOUSE_FAST_PATHS=off) as the writer runs them.
describe.each([true, false])('OpenTelemetry from the request-log writer’s thread (fastPaths %s)', (fastPaths) => {
  let db: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await db?.drop();
  });

  it('exports a log record per stored call, the spans of each sampled one, and a span handed to it (a federated call’s)', async () => {
    const service = `gh-writer-otel-${fastPaths}`;
    const writer = createRequestLogWriter({
      database: databaseOptions(db),
      spoolDir: null,
      logger: quiet,
      otel: { endpoint: receiver.endpoint, serviceName: service, fastPaths },
    });
    const records = [traced(1), rec({ path: '/plain' }), traced(2, 2)];
    for (const r of records) writer.record(r);
    writer.otel!.span({
      name: 'tools/call say',
      kind: SpanKind.SERVER,
      traceId: 'f'.repeat(32),
      spanId: 'e'.repeat(16),
      parentSpanId: null,
      parentRemote: false,
      traceFlags: 1,
      traceState: null,
      startMs: Date.now() - 2,
      endMs: Date.now(),
      httpStatus: 200,
      errorType: null,
      attributes: { 'gatehouse.channel': 'federation' },
    });
    await writer.flush();
    const spans = () => receiver.spans.filter((s) => s.resource['service.name'] === service);
    const logs = () => receiver.logs.filter((l) => l.resource['service.name'] === service);
    await until(() => spans().length >= 6 && logs().length >= 3);
    expect(logs().map((l) => l.attributes['url.path'])).toEqual(records.map((r) => r.path));
    const server = spans().find((s) => s.spanId === records[0]!.trace!.spanId)!;
    expect(server).toMatchObject({ name: 'GET /orders/{id}', kind: 2, traceId: records[0]!.trace!.traceId, parentSpanId: '00f067aa0ba902b7', flags: 0x301 });
    // The switch reached the writer's thread: the row encoder leaves an UNSET status out, the SDK writes it.
    expect(server.status === undefined).toBe(fastPaths);
    expect(server.attributes).toMatchObject({ 'http.route': '/orders/{id}', 'gatehouse.collection.slug': 'shop', 'url.path': '/shop/orders/1' });
    const clients = spans().filter((s) => s.kind === 3 && s.traceId === records[2]!.trace!.traceId);
    expect(clients.map((c) => c.attributes['server.port']).sort()).toEqual([8080, 8081]);
    expect(clients.every((c) => c.parentSpanId === records[2]!.trace!.spanId)).toBe(true);
    expect(spans().find((s) => s.traceId === 'f'.repeat(32))).toMatchObject({ name: 'tools/call say', attributes: { 'gatehouse.channel': 'federation' } });
    // 2 + 3 call spans and the federated one: nothing for the unsampled call.
    expect(spans()).toHaveLength(6);
    await writer.close();
  });

  it('counts what it drops: records past the writer’s buffer, and items past the export’s bound in its thread', async () => {
    const metrics = createTelemetryMetrics();
    const dropped = async (signal: string, reason: string) =>
      (await metrics.otelDropped.get()).values.find((v) => v.labels.signal === signal && v.labels.reason === reason)?.value ?? 0;
    receiver.state.mode = 'hang';
    const writer = createRequestLogWriter({
      database: databaseOptions(db),
      spoolDir: null,
      logger: quiet,
      metrics,
      maxBuffer: 30,
      batchSize: 1000,
      otel: { endpoint: receiver.endpoint, serviceName: 'gh-writer-drops', maxQueueSize: 10, exportTimeoutMillis: 300, fastPaths },
    });
    // 30 fit in the buffer; 20 more are dropped on the main thread, each with its 2 spans.
    for (let i = 0; i < 50; i++) writer.record(traced(100 + i));
    expect(await dropped('logs', 'overflow')).toBe(20);
    expect(await dropped('traces', 'overflow')).toBe(40);
    // In the writer's thread at most 10 items wait. The row encoder keeps a call's three together: 3
    // calls fit, 27 calls' 81 items are dropped. The SDK's processors bound each signal: 10 of the 30
    // log records and 10 of the 60 spans are kept, 70 items dropped.
    await writer.flush();
    await writer.flush();
    expect((await dropped('logs', 'overflow')) + (await dropped('traces', 'overflow'))).toBe(60 + (fastPaths ? 81 : 70));
    await writer.close();
    receiver.state.mode = 'ok';
  });
});
