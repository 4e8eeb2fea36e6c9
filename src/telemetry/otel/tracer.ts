import { type Attributes, type Context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ExportBudget, type OnDrop } from './budget.js';
import { OTEL_DEFAULTS, type OtelSettings, signalUrl } from './settings.js';

/** W3C trace context headers: read from a caller, or written for an upstream. */
export interface TraceHeaders {
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

/** The span of one upstream request, child of its call's span. */
export interface UpstreamSpan {
  /** The headers to send upstream, so the upstream's spans join the trace under this one. */
  headers: TraceHeaders;
  end(result: { status?: number; error?: string }): void;
}

/** The span of one proxied or MCP call. */
export interface CallSpan {
  /** This span's own trace context, e.g. for a response header. */
  headers: TraceHeaders;
  traceId: string;
  spanId: string;
  /** Starts the child span of a request to the upstream. */
  startUpstream(name: string, attributes?: Attributes): UpstreamSpan;
  setAttributes(attributes: Attributes): void;
  /** Names the span once the call is routed (e.g. `GET /shop/orders/{id}`). */
  rename(name: string): void;
  end(result: { status: number; errorCode?: string | null }): void;
}

/** Starts call spans and sends them, batched and bounded, to the collector. */
export interface CallTracer {
  /** A call's span; continues the caller's trace when `incoming` carries a valid `traceparent`. */
  startCall(name: string, incoming: TraceHeaders, attributes?: Attributes): CallSpan;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
const getter = {
  get: (carrier: TraceHeaders, key: string) => carrier[key as keyof TraceHeaders],
  keys: (carrier: TraceHeaders) => Object.keys(carrier).filter((k) => carrier[k as keyof TraceHeaders] !== undefined),
};
const setter = {
  set: (carrier: TraceHeaders, key: string, value: string) => {
    carrier[key as keyof TraceHeaders] = value;
  },
};

function headersOf(context: Context): TraceHeaders {
  const out: TraceHeaders = {};
  propagator.inject(context, out, setter);
  return out;
}

/** Lets a span into the batch processor only while the budget has room. */
class BoundedSpanProcessor implements SpanProcessor {
  constructor(
    readonly inner: SpanProcessor,
    readonly budget: ExportBudget,
  ) {}
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if (this.budget.take()) this.inner.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

function countingExporter(inner: SpanExporter, budget: ExportBudget): SpanExporter {
  return {
    export: (spans, done) => inner.export(spans, budget.settle(spans.length, done)),
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => inner.forceFlush!() } : {}),
  };
}

function endWith(span: Span, status: number | undefined, error: string | null | undefined): void {
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (error) span.setAttribute('error.type', error);
  if (error || (status !== undefined && status >= 500)) span.setStatus({ code: SpanStatusCode.ERROR, ...(error ? { message: error } : {}) });
  span.end();
}

/**
 * The tracer the data plane calls: a SERVER span per call (continuing the caller's W3C trace
 * context) with a CLIENT child span per upstream request, whose context goes upstream in
 * `traceparent`. Spans are exported over OTLP/HTTP in batches; at most `maxQueueSize` wait, the
 * rest are dropped and reported to `onDrop`, so tracing never blocks or slows a call on the collector.
 */
export function createCallTracer(settings: OtelSettings, onDrop: OnDrop = () => {}): CallTracer {
  const s = { ...OTEL_DEFAULTS, ...settings };
  const budget = new ExportBudget(s.maxQueueSize, onDrop);
  const exporter = new OTLPTraceExporter({ url: signalUrl(s.endpoint, 'traces'), headers: s.headers ?? {}, timeoutMillis: s.exportTimeoutMillis });
  const batch = new BatchSpanProcessor(countingExporter(exporter, budget), {
    maxQueueSize: s.maxQueueSize + s.maxExportBatchSize,
    maxExportBatchSize: s.maxExportBatchSize,
    scheduledDelayMillis: s.scheduledDelayMillis,
    exportTimeoutMillis: s.exportTimeoutMillis,
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': s.serviceName }),
    spanProcessors: [new BoundedSpanProcessor(batch, budget)],
  });
  const tracer = provider.getTracer('gatehouse');
  return {
    startCall(name, incoming, attributes) {
      const parent = incoming.traceparent ? propagator.extract(ROOT_CONTEXT, incoming, getter) : ROOT_CONTEXT;
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, ...(attributes ? { attributes } : {}) }, parent);
      const own = trace.setSpan(parent, span);
      const { traceId, spanId } = span.spanContext();
      return {
        headers: headersOf(own),
        traceId,
        spanId,
        startUpstream(upstreamName, upstreamAttributes) {
          const child = tracer.startSpan(upstreamName, { kind: SpanKind.CLIENT, ...(upstreamAttributes ? { attributes: upstreamAttributes } : {}) }, own);
          return {
            headers: headersOf(trace.setSpan(own, child)),
            end: (result) => endWith(child, result.status, result.error),
          };
        },
        setAttributes: (more) => {
          span.setAttributes(more);
        },
        rename: (newName) => {
          span.updateName(newName);
        },
        end: (result) => endWith(span, result.status, result.errorCode),
      };
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
