/** Where and how OpenTelemetry data leaves: OTLP over HTTP (protobuf, or JSON) to a collector. */
export interface OtelSettings {
  /** The collector's base URL, e.g. http://127.0.0.1:4318; logs go to /v1/logs, traces to /v1/traces. */
  endpoint: string;
  /** OTLP's encoding: protobuf (OTel's default, about half the bytes and CPU) or JSON. */
  protocol?: 'http/protobuf' | 'http/json';
  /** Share of new traces recorded (0–1, default 1); a caller's sampled flag is always followed. */
  tracesSampleRatio?: number;
  /** Extra request headers (an API key of a hosted collector). */
  headers?: Record<string, string>;
  serviceName?: string;
  /** Records (or spans) waiting to be exported at most; beyond it they are dropped and counted. */
  maxQueueSize?: number;
  /** Records per export request (config `otel.maxExportBatchSize`, GATEHOUSE_OTLP_MAX_BATCH). */
  maxExportBatchSize?: number;
  /** How long a batch waits to fill before it is sent. */
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  /**
   * Which implementation encodes and sends (config `fastPaths`, GATEHOUSE_FAST_PATHS): the row
   * encoder for `http/protobuf` (true, the default) or the OTel SDK's exporters for every protocol (false).
   */
  fastPaths?: boolean;
}

export const OTEL_DEFAULTS = {
  serviceName: 'gatehouse',
  maxQueueSize: 20_000,
  // Not the SDK's 512: a gateway exports ~3 records a call, and each request costs the exporter, V8's
  // GC threads and the collector a fixed share on top of its bytes (docs/benchmarks.md, 26 Nov 2026).
  // 2,048 records are ~1–1.5 MB of OTLP; a collector that refuses that much gets a lower setting.
  maxExportBatchSize: 2_048,
  scheduledDelayMillis: 1_000,
  exportTimeoutMillis: 10_000,
};

/** The URL of one signal under the endpoint (`/v1/logs`, `/v1/traces`), as OTLP/HTTP defines. */
export function signalUrl(endpoint: string, signal: 'logs' | 'traces'): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}
