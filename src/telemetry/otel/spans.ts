import { type Attributes, createTraceState, type SpanContext, SpanKind, SpanStatusCode, type SpanStatus } from '@opentelemetry/api';
import { ExportResultCode, millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ExportBudget, type OnDrop } from './budget.js';
import { SPAN_SCOPE } from './scopes.js';
import { createSdkTraceExporter } from './sdk-exporters.js';
import { OTEL_DEFAULTS, type OtelSettings } from './settings.js';
import type { SpanRecord } from './span-record.js';

/** Where finished spans go to be exported. */
export interface SpanExport {
  /** O(1), never throws, never waits; beyond the bound the span is dropped and counted. */
  add(span: SpanRecord): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

function countingExporter(inner: SpanExporter, budget: ExportBudget): SpanExporter {
  return {
    export: (spans, done) => inner.export(spans, budget.settle(spans.length, done)),
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => inner.forceFlush!() } : {}),
  };
}

const SCOPE = { name: SPAN_SCOPE };

/**
 * The status an HTTP span ends with, as the semantic conventions have it: an error code, or a
 * status from 500 (a server's own span) or from 400 (a client's: the upstream refused what the
 * gateway sent) is an error.
 */
function failedStatus(r: SpanRecord): boolean {
  if (r.httpStatus === null) return false;
  return r.httpStatus >= (r.kind === SpanKind.CLIENT ? 400 : 500);
}

function statusOf(r: SpanRecord): SpanStatus {
  if (r.errorType !== null) return { code: SpanStatusCode.ERROR, message: r.errorType };
  return failedStatus(r) ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.UNSET };
}

function attributesOf(r: SpanRecord): Attributes {
  if (r.httpStatus === null && r.errorType === null) return r.attributes;
  const out: Attributes = { ...r.attributes };
  if (r.httpStatus !== null) out['http.response.status_code'] = r.httpStatus;
  // A client span without a code of its own names its failure by the status, as `error.type` should.
  if (r.errorType !== null) out['error.type'] = r.errorType;
  else if (r.kind === SpanKind.CLIENT && failedStatus(r)) out['error.type'] = String(r.httpStatus);
  return out;
}

/** The SDK's view of a span record, as the OTLP exporter reads it. */
function readable(r: SpanRecord, resource: Resource): ReadableSpan {
  const traceState = r.traceState === null ? undefined : createTraceState(r.traceState);
  const context: SpanContext = { traceId: r.traceId, spanId: r.spanId, traceFlags: r.traceFlags, ...(traceState ? { traceState } : {}) };
  const start = millisToHrTime(r.startMs);
  return {
    name: r.name,
    kind: r.kind,
    spanContext: () => context,
    ...(r.parentSpanId === null
      ? {}
      : {
          parentSpanContext: {
            traceId: r.traceId,
            spanId: r.parentSpanId,
            traceFlags: r.traceFlags,
            isRemote: r.parentRemote,
            ...(traceState ? { traceState } : {}),
          },
        }),
    startTime: start,
    endTime: millisToHrTime(r.endMs),
    duration: millisToHrTime(r.endMs - r.startMs),
    status: statusOf(r),
    attributes: attributesOf(r),
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/**
 * Exports span records over OTLP/HTTP (either protocol) with the official SDK's batch processor and
 * exporter — the library implementation (library-sink.ts; the row encoder is the fast path):
 * batched in the background and bounded by `maxQueueSize` (overflow and failed exports are dropped
 * and reported to `onDrop`), so a slow or absent collector never holds anything up.
 */
export function createSpanExport(settings: OtelSettings, resource: Resource, onDrop: OnDrop = () => {}): SpanExport {
  const s = { ...OTEL_DEFAULTS, ...settings };
  const budget = new ExportBudget(s.maxQueueSize, onDrop);
  const exporter = createSdkTraceExporter(s);
  const batch = new BatchSpanProcessor({
    exporter: countingExporter(exporter, budget),
    // Above our own bound, so the budget (which counts) is what refuses, never the processor.
    maxQueueSize: s.maxQueueSize + s.maxExportBatchSize,
    maxExportBatchSize: s.maxExportBatchSize,
    scheduledDelayMillis: s.scheduledDelayMillis,
    exportTimeoutMillis: s.exportTimeoutMillis,
  });
  return {
    add(span) {
      if (!budget.take()) return;
      try {
        batch.onEnd(readable(span, resource));
      } catch {
        // A span the SDK would not take: its place is freed and it counts as a failed export.
        budget.settle(1, () => {})({ code: ExportResultCode.FAILED });
      }
    },
    flush: () => batch.forceFlush(),
    shutdown: () => batch.shutdown(),
  };
}
