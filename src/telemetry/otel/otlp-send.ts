import { ExportResultCode } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ExportBudget, type OnDrop } from './budget.js';
import type { OtlpChunk } from './otlp-records.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { OTEL_DEFAULTS, type OtelSettings, signalUrl } from './settings.js';

/** One export request: the scopes' encoded records, and how many there are. */
interface Request {
  bytes: Uint8Array;
  count: number;
}

/** Sends chunks the main thread encoded (`otlp-records.ts`) with the official OTLP/HTTP exporter. */
export interface ChunkExport {
  /** Never throws, never waits; beyond the bound the chunk is dropped and counted. */
  send(scopes: ReadonlyArray<readonly [scope: string, chunk: OtlpChunk | null]>): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * ExportTraceServiceRequest / ExportLogsServiceRequest: field 1 holds one ResourceSpans /
 * ResourceLogs, whose resource is field 1 and whose ScopeSpans / ScopeLogs are field 2, each the
 * scope (field 1) followed by the records, already encoded as that message's field 2.
 */
function wrap(resource: Uint8Array, scopes: ReadonlyArray<readonly [string, OtlpChunk]>): Uint8Array {
  const size = scopes.reduce((sum, [, c]) => sum + c.length, 0);
  const w = new ProtobufWriter(size + resource.length + 64 * (scopes.length + 1));
  w.tag(1, 2);
  const outer = w.begin();
  w.raw(resource);
  for (const [scope, chunk] of scopes) {
    w.tag(2, 2);
    const inner = w.begin();
    w.tag(1, 2);
    const scopeMessage = w.begin();
    w.constant(1, scope);
    w.end(scopeMessage);
    w.raw(new Uint8Array(chunk.bytes, 0, chunk.length));
    w.end(inner);
  }
  w.end(outer);
  return w.bytes.subarray(0, w.pos);
}

/** The Resource message (field 1 of ResourceSpans/ResourceLogs): the service's name. */
function resourceField(serviceName: string): Uint8Array {
  const w = new ProtobufWriter(64);
  w.tag(1, 2);
  const resource = w.begin();
  w.tag(1, 2);
  const kv = w.begin();
  w.constant(1, 'service.name');
  w.tag(2, 2);
  const any = w.begin();
  w.tag(1, 2);
  w.string(serviceName);
  w.end(any);
  w.end(kv);
  w.end(resource);
  return w.finish();
}

/**
 * One signal's export: the official exporter's HTTP delegate (the collector's URL, headers,
 * timeouts, retries and concurrency limit, as the SDK's own OTLP exporters have them), fed requests
 * already encoded. At most `maxQueueSize` records are in flight; beyond that a chunk is dropped and
 * counted, as is a failed export.
 */
export function createChunkExport(signal: 'traces' | 'logs', settings: OtelSettings, onDrop: OnDrop = () => {}): ChunkExport {
  const s = { ...OTEL_DEFAULTS, ...settings };
  const budget = new ExportBudget(s.maxQueueSize, onDrop);
  const resource = resourceField(s.serviceName);
  const responses = signal === 'traces' ? ProtobufTraceSerializer : ProtobufLogsSerializer;
  const delegate = createOtlpHttpExportDelegate<Request, unknown>(
    convertLegacyHttpOptions(
      { url: signalUrl(s.endpoint, signal), headers: s.headers ?? {}, timeoutMillis: s.exportTimeoutMillis },
      signal === 'traces' ? 'TRACES' : 'LOGS',
      `v1/${signal}`,
      { 'Content-Type': 'application/x-protobuf' },
    ),
    { serializeRequest: (request) => request.bytes, deserializeResponse: (data) => responses.deserializeResponse(data) },
    signal === 'traces' ? 'otlp_http_span_exporter' : 'otlp_http_log_exporter',
    { name: signal === 'traces' ? 'span' : 'log', countItems: (request) => request.count },
    undefined,
  );
  const exporter = new OTLPExporterBase<Request>(delegate);
  return {
    send(scopes) {
      const present = scopes.filter((entry): entry is readonly [string, OtlpChunk] => entry[1] !== null);
      const count = present.reduce((sum, [, c]) => sum + c.count, 0);
      if (count === 0 || !budget.take(count)) return;
      try {
        exporter.export({ bytes: wrap(resource, present), count }, budget.settle(count, () => {}));
      } catch {
        budget.settle(count, () => {})({ code: ExportResultCode.FAILED });
      }
    },
    flush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
