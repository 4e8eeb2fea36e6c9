import type { Attributes, SpanKind } from '@opentelemetry/api';

/**
 * One finished span as plain data: built by the export worker from a traced request-log record (or
 * on the main thread for a federated tool call, and posted), then encoded as OTLP protobuf or turned
 * into the SDK's ReadableSpan for the official OTLP exporter.
 */
export interface SpanRecord {
  name: string;
  /** SERVER (a call) or CLIENT (its upstream request). */
  kind: SpanKind.SERVER | SpanKind.CLIENT;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** The parent is the caller's (a remote span context), not one of ours. */
  parentRemote: boolean;
  traceFlags: number;
  traceState: string | null;
  /** Epoch milliseconds, with fractions. */
  startMs: number;
  endMs: number;
  /** `http.response.status_code` and `error.type`, kept apart so the hot path never reshapes `attributes`. */
  httpStatus: number | null;
  errorType: string | null;
  attributes: Attributes;
}
