import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { OTEL_DEFAULTS, type OtelSettings, signalUrl } from './settings.js';

/** The OTLP exporters' default limit of requests in flight. */
const DEFAULT_CONCURRENCY = 30;

/**
 * The OTLP/HTTP options both signals' SDK exporters take. Requests in flight may reach what the
 * queue bound allows (as otlp-send.ts has it): at the default 30, `bench/otel-handoff.mjs` got 30
 * span requests of ~700 to the collector and the rest were lost.
 */
function httpOptions(s: OtelSettings, signal: 'logs' | 'traces') {
  const queue = s.maxQueueSize ?? OTEL_DEFAULTS.maxQueueSize;
  const batch = s.maxExportBatchSize ?? OTEL_DEFAULTS.maxExportBatchSize;
  return {
    url: signalUrl(s.endpoint, signal),
    headers: s.headers ?? {},
    timeoutMillis: s.exportTimeoutMillis ?? OTEL_DEFAULTS.exportTimeoutMillis,
    concurrencyLimit: Math.max(DEFAULT_CONCURRENCY, 2 * Math.ceil(queue / batch)),
  };
}

/**
 * The SDK's OTLP/HTTP span exporter for the configured protocol: the JSON package's exporter for
 * `http/json`; for `http/protobuf` (no protobuf exporter package is installed) the same exporter
 * base and HTTP delegate with the SDK's own protobuf serializer, as `exporter-trace-otlp-proto` builds it.
 */
export function createSdkTraceExporter(s: OtelSettings): SpanExporter {
  if (s.protocol === 'http/json') return new OTLPTraceExporter(httpOptions(s, 'traces'));
  const delegate = createOtlpHttpExportDelegate(
    convertLegacyHttpOptions(httpOptions(s, 'traces'), 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
    ProtobufTraceSerializer,
    'otlp_http_span_exporter',
    { name: 'span', countItems: (spans: ReadableSpan[]) => spans.length },
    undefined,
  );
  return new OTLPExporterBase<ReadableSpan[]>(delegate);
}

/** The SDK's OTLP/HTTP log exporter for the configured protocol (see createSdkTraceExporter). */
export function createSdkLogExporter(s: OtelSettings): LogRecordExporter {
  if (s.protocol === 'http/json') return new OTLPLogExporter(httpOptions(s, 'logs'));
  const delegate = createOtlpHttpExportDelegate(
    convertLegacyHttpOptions(httpOptions(s, 'logs'), 'LOGS', 'v1/logs', { 'Content-Type': 'application/x-protobuf' }),
    ProtobufLogsSerializer,
    'otlp_http_log_exporter',
    { name: 'log', countItems: (records: ReadableLogRecord[]) => records.length },
    undefined,
  );
  return new OTLPExporterBase<ReadableLogRecord[]>(delegate);
}
