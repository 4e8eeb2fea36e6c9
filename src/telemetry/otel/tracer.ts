import { type Attributes, isSpanContextValid, type SpanContext, SpanKind } from '@opentelemetry/api';
import { parseTraceParent, TraceState } from '@opentelemetry/core';
import type { CallTrace, UpstreamTrace } from '../../core/index.js';
import { randomSpanId, randomTraceId } from './ids.js';
import type { SpanRecord } from './span-record.js';

/** W3C trace context headers: read from a caller, or written for an upstream. */
export interface TraceHeaders {
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

/** The span of one upstream request, child of its call's span. */
export interface UpstreamSpan {
  /** The headers to send upstream, so the upstream's spans join the trace under this one. */
  headers: TraceHeaders;
  end(result: { status?: number | undefined; error?: string }): void;
}

/** The span of one proxied or MCP call. */
export interface CallSpan {
  /** This span's own trace context, e.g. for a response header. */
  headers: TraceHeaders;
  traceId: string;
  spanId: string;
  /** Starts the child span of a request to the upstream (its attributes object is taken, not copied). */
  startUpstream(name: string, attributes?: Attributes): UpstreamSpan;
  /** Adds attributes; the object may be taken as it is, so the caller must not change it afterwards. */
  setAttributes(attributes: Attributes): void;
  /** Names the span once the call is routed (e.g. `GET /shop/orders/{id}`). */
  rename(name: string): void;
  /** The clock the span's times are on (epoch ms, sub-millisecond): the `endMs` of a span ended after its call. */
  clock(): number;
  /** Ends the span, at `endMs` (from clock()) when given: a span whose attributes came after the call ended. */
  end(result: { status: number; errorCode?: string | null; endMs?: number }): void;
  /**
   * Starts an upstream attempt kept in the call's trace (no span is built): the export worker makes
   * its CLIENT span from the request-log record that carries the trace.
   */
  startAttempt(target: { host: string; port: number }, attempt: number, routeNode: string | null, routeGroup: string | null): UpstreamSpan;
  /** Ends the call and hands back its trace for the request-log record (null when not sampled); nothing goes to the span sink. */
  finish(details: CallTraceDetails): CallTrace | null;
}

/** What the call path knows about a finished call that its record does not hold. */
type CallTraceDetails = Pick<CallTrace, 'route' | 'collectionSlug' | 'workflowId' | 'workflowVersion' | 'guardrails'>;

/** Starts call spans; each finished span goes to the export (batched, bounded, off the main thread). */
export interface CallTracer {
  /** A call's span (its attributes object is taken, not copied); continues the caller's trace when `incoming` carries a valid `traceparent`. */
  startCall(name: string, incoming: TraceHeaders, attributes?: Attributes): CallSpan;
}

// The origin read once: its getter returns a fresh heap number on every read.
const TIME_ORIGIN = performance.timeOrigin;
const now = () => TIME_ORIGIN + performance.now();

/** The caller's `tracestate`, re-serialized (invalid members dropped, at most 32), or null. */
function traceStateOf(value: string | undefined): string | null {
  if (!value) return null;
  const serialized = new TraceState(value).serialize();
  return serialized === '' ? null : serialized;
}

/** The W3C context headers of span `spanId` in trace `traceId`. */
function contextOf(traceId: string, spanId: string, sampled: boolean, traceState: string | null): TraceHeaders {
  const traceparent = `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
  return traceState === null ? { traceparent } : { traceparent, tracestate: traceState };
}

/**
 * An upstream attempt of a call: its UpstreamTrace (this object itself, the one the call's trace
 * keeps) and the UpstreamSpan the call path ends. One object per attempt, methods on the prototype.
 */
class Attempt implements UpstreamSpan, UpstreamTrace {
  spanId = randomSpanId();
  startMs = now();
  endMs = 0;
  status: number | null = null;
  error: string | null = null;
  readonly #call: Call;

  constructor(
    call: Call,
    public host: string,
    public port: number,
    public attempt: number,
    public routeNode: string | null,
    public routeGroup: string | null,
  ) {
    this.#call = call;
  }

  get headers(): TraceHeaders {
    return contextOf(this.#call.traceId, this.spanId, this.#call.sampled, this.#call.traceState);
  }

  end(result: { status?: number | undefined; error?: string }): void {
    if (this.endMs !== 0) return;
    this.endMs = now();
    this.status = result.status ?? null;
    this.error = result.error ?? null;
  }
}

/**
 * One call's span: ids, flags and times as fields, methods on the prototype, so a pipeline call
 * (which only ever finishes with a trace) allocates this object, its attempts and its ids. The
 * SpanRecord of a span that ends by itself (a federated tool call's) is built when it ends.
 */
class Call implements CallSpan {
  readonly spanId = randomSpanId();
  readonly traceId: string;
  readonly parentSpanId: string | null;
  readonly parentRemote: boolean;
  readonly traceFlags: number;
  readonly sampled: boolean;
  readonly traceState: string | null;
  readonly startMs = now();
  endMs = 0;
  #name: string;
  #attributes: Attributes;
  #attempts: Attempt[] | null = null;

  constructor(
    private readonly sink: (span: SpanRecord) => void,
    name: string,
    parent: SpanContext | null,
    traceFlags: number,
    traceState: string | null,
    attributes: Attributes | undefined,
  ) {
    this.#name = name;
    this.traceId = parent?.traceId ?? randomTraceId();
    this.parentSpanId = parent?.spanId ?? null;
    this.parentRemote = parent !== null;
    this.traceFlags = traceFlags;
    this.sampled = (traceFlags & 1) === 1;
    this.traceState = traceState;
    this.#attributes = attributes ?? {};
  }

  // Built only when asked for (a response header): most calls never read it.
  get headers(): TraceHeaders {
    return contextOf(this.traceId, this.spanId, this.sampled, this.traceState);
  }

  startUpstream(upstreamName: string, upstreamAttributes?: Attributes): UpstreamSpan {
    const child: SpanRecord = {
      name: upstreamName,
      kind: SpanKind.CLIENT,
      traceId: this.traceId,
      spanId: randomSpanId(),
      parentSpanId: this.spanId,
      parentRemote: false,
      traceFlags: this.traceFlags,
      traceState: this.traceState,
      startMs: now(),
      endMs: 0,
      httpStatus: null,
      errorType: null,
      attributes: upstreamAttributes ?? {},
    };
    const sampled = this.sampled;
    const sink = this.sink;
    return {
      headers: contextOf(this.traceId, child.spanId, sampled, this.traceState),
      end(result) {
        if (child.endMs !== 0) return;
        child.endMs = now();
        child.httpStatus = result.status ?? null;
        child.errorType = result.error ?? null;
        if (sampled) sink(child);
      },
    };
  }

  startAttempt(target: { host: string; port: number }, attempt: number, routeNode: string | null, routeGroup: string | null): UpstreamSpan {
    const up = new Attempt(this, target.host, target.port, attempt, routeNode, routeGroup);
    if (this.sampled) {
      this.#attempts ??= [];
      this.#attempts.push(up);
    }
    return up;
  }

  finish(details: CallTraceDetails): CallTrace | null {
    if (this.endMs !== 0) return null;
    this.endMs = now();
    if (!this.sampled) return null;
    return {
      traceId: this.traceId,
      spanId: this.spanId,
      parentSpanId: this.parentSpanId,
      parentRemote: this.parentRemote,
      traceFlags: this.traceFlags,
      traceState: this.traceState,
      startMs: this.startMs,
      endMs: this.endMs,
      route: details.route,
      collectionSlug: details.collectionSlug,
      workflowId: details.workflowId,
      workflowVersion: details.workflowVersion,
      guardrails: details.guardrails,
      upstreams: this.#attempts ?? [],
    };
  }

  setAttributes(more: Attributes): void {
    // The first set is taken as it is (no copy): the call path builds one object per span.
    if (Object.keys(this.#attributes).length === 0) this.#attributes = more;
    else Object.assign(this.#attributes, more);
  }

  rename(newName: string): void {
    this.#name = newName;
  }

  clock(): number {
    return now();
  }

  end(result: { status: number; errorCode?: string | null; endMs?: number }): void {
    if (this.endMs !== 0) return;
    this.endMs = result.endMs ?? now();
    if (!this.sampled) return;
    this.sink({
      name: this.#name,
      kind: SpanKind.SERVER,
      traceId: this.traceId,
      spanId: this.spanId,
      parentSpanId: this.parentSpanId,
      parentRemote: this.parentRemote,
      traceFlags: this.traceFlags,
      traceState: this.traceState,
      startMs: this.startMs,
      endMs: this.endMs,
      httpStatus: result.status,
      errorType: result.errorCode ?? null,
      attributes: this.#attributes,
    });
  }
}

/**
 * The tracer the data plane calls: a SERVER span per call (continuing the caller's W3C trace
 * context) with a CLIENT child span per upstream request, whose context goes upstream in
 * `traceparent`. It builds plain records only (ids, times, attributes); serializing and sending
 * them is the export's job, off the event loop, so a traced call costs it a few microseconds.
 * A caller's context that is not sampled is continued but not recorded, as the SDK's default
 * parent-based sampler does; of the traces the gateway starts, `sampleRatio` are recorded.
 */
export function createCallTracer(sink: (span: SpanRecord) => void, sampleRatio = 1): CallTracer {
  return {
    startCall(name, incoming, attributes) {
      const parsed = incoming.traceparent ? parseTraceParent(incoming.traceparent) : null;
      const parent = parsed !== null && isSpanContextValid(parsed) ? parsed : null;
      // Parent-based: a caller's decision is followed; a new trace is recorded with probability `sampleRatio`.
      const traceFlags = parent ? parent.traceFlags : sampleRatio >= 1 || Math.random() < sampleRatio ? 1 : 0;
      const traceState = parent ? traceStateOf(incoming.tracestate) : null;
      return new Call(sink, name, parent, traceFlags, traceState, attributes);
    },
  };
}
