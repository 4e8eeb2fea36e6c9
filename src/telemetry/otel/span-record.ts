import type { Attributes, SpanKind } from '@opentelemetry/api';

/**
 * One finished span as plain data: what the main thread records per call and posts, in batches, to
 * the export worker, which turns it into the SDK's ReadableSpan for the official OTLP exporter.
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
