import { ExportResultCode } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ExportBudget, type OnDrop } from './budget.js';
import { HEADROOM, type OtlpChunk } from './otlp-records.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { OTEL_DEFAULTS, type OtelSettings, signalUrl } from './settings.js';

/** One export request: the encoded request (a view into a chunk's buffer), and how many records it holds. */
interface Request {
  bytes: Uint8Array;
  count: number;
}

/** Sends chunks the export worker encoded (`otlp-records.ts`) with the official OTLP/HTTP exporter. */
export interface ChunkExport {
  /**
   * Sends one scope's chunk; never throws, never waits. Beyond the bound it is dropped and counted.
   * `done` gets the chunk's buffer back once it is no longer needed (sent, failed or dropped).
   */
  send(scope: string, chunk: OtlpChunk, done: (buffer: ArrayBuffer) => void): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The OTLP exporters' default limit of requests in flight. */
const DEFAULT_CONCURRENCY = 30;

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v > 0x7f; v = Math.floor(v / 0x80)) size++;
  return size;
}

/** A length-delimited field whose content is `content`. */
function field(no: number, content: Uint8Array): Uint8Array {
  const w = new ProtobufWriter(content.length + 8);
  w.tag(no, 2);
  w.varint(content.length);
  w.raw(content);
  return w.finish();
}

/** The Resource message as field 1 of ResourceSpans/ResourceLogs: the service's name. */
function resourceField(serviceName: string): Uint8Array {
  const kv = new ProtobufWriter(64);
  kv.constant(1, 'service.name');
  const value = new ProtobufWriter(serviceName.length * 3 + 8);
  value.tag(1, 2);
  value.string(serviceName);
  kv.raw(field(2, value.finish()));
  return field(1, field(1, kv.finish()));
}

/** The InstrumentationScope message as field 1 of ScopeSpans/ScopeLogs. */
function scopeField(name: string): Uint8Array {
  const w = new ProtobufWriter(name.length * 3 + 8);
  w.constant(1, name);
  return field(1, w.finish());
}

/**
 * The whole ExportTraceServiceRequest / ExportLogsServiceRequest for one chunk: field 1 holds one
 * ResourceSpans / ResourceLogs (resource, then field 2: one ScopeSpans / ScopeLogs, whose scope is
 * followed by the chunk's records). The envelope is written into the chunk's headroom, right before
 * the records, so the records are never copied; a service name too long for it takes a copy.
 */
function envelop(resource: Uint8Array, scope: Uint8Array, chunk: OtlpChunk): Uint8Array {
  const records = chunk.length - HEADROOM;
  const scopes = scope.length + records;
  const resourceBody = resource.length + 1 + varintSize(scopes) + scopes;
  const w = new ProtobufWriter(64 + resource.length + scope.length);
  w.tag(1, 2);
  w.varint(resourceBody);
  w.raw(resource);
  w.tag(2, 2);
  w.varint(scopes);
  w.raw(scope);
  const prefix = w.finish();
  const bytes = new Uint8Array(chunk.bytes, 0, chunk.length);
  if (prefix.length <= HEADROOM) {
    bytes.set(prefix, HEADROOM - prefix.length);
    return bytes.subarray(HEADROOM - prefix.length);
  }
  const whole = new Uint8Array(prefix.length + records);
  whole.set(prefix);
  whole.set(bytes.subarray(HEADROOM), prefix.length);
  return whole;
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
      {
        url: signalUrl(s.endpoint, signal),
        headers: s.headers ?? {},
        timeoutMillis: s.exportTimeoutMillis,
        // The budget bounds what is in flight (maxQueueSize records); the exporter's own limit of 30
        // requests would drop full chunks well inside it while a busy collector catches up.
        concurrencyLimit: Math.max(DEFAULT_CONCURRENCY, 2 * Math.ceil(s.maxQueueSize / s.maxExportBatchSize)),
      },
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
  const scopes = new Map<string, Uint8Array>();
  return {
    send(scope, chunk, done) {
      const count = chunk.count;
      if (!budget.take(count)) {
        done(chunk.bytes);
        return;
      }
      let scopeBytes = scopes.get(scope);
      if (scopeBytes === undefined) {
        scopeBytes = scopeField(scope);
        scopes.set(scope, scopeBytes);
      }
      const settle = budget.settle(count, () => done(chunk.bytes));
      try {
        exporter.export({ bytes: envelop(resource, scopeBytes, chunk), count }, settle);
      } catch {
        settle({ code: ExportResultCode.FAILED });
      }
    },
    flush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
