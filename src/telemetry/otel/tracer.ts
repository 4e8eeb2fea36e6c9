import { type Attributes, isSpanContextValid, SpanKind } from '@opentelemetry/api';
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
  end(result: { status: number; errorCode?: string | null }): void;
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

const now = () => performance.timeOrigin + performance.now();

/** The caller's `tracestate`, re-serialized (invalid members dropped, at most 32), or null. */
function traceStateOf(value: string | undefined): string | null {
  if (!value) return null;
  const serialized = new TraceState(value).serialize();
  return serialized === '' ? null : serialized;
}

/**
 * The tracer the data plane calls: a SERVER span per call (continuing the caller's W3C trace
 * context) with a CLIENT child span per upstream request, whose context goes upstream in
 * `traceparent`. It builds plain records only (ids, times, attributes); serializing and sending
 * them is the export worker's job, so a traced call costs the event loop a few microseconds.
 * A caller's context that is not sampled is continued but not recorded, as the SDK's default
 * parent-based sampler does; of the traces the gateway starts, `sampleRatio` are recorded.
 */
export function createCallTracer(sink: (span: SpanRecord) => void, sampleRatio = 1): CallTracer {
  return {
    startCall(name, incoming, attributes) {
      const parsed = incoming.traceparent ? parseTraceParent(incoming.traceparent) : null;
      const parent = parsed !== null && isSpanContextValid(parsed) ? parsed : null;
      const traceId = parent?.traceId ?? randomTraceId();
      const spanId = randomSpanId();
      // Parent-based: a caller's decision is followed; a new trace is recorded with probability `sampleRatio`.
      const traceFlags = parent ? parent.traceFlags : sampleRatio >= 1 || Math.random() < sampleRatio ? 1 : 0;
      const sampled = (traceFlags & 1) === 1;
      const traceState = parent ? traceStateOf(incoming.tracestate) : null;
      const flags = sampled ? '01' : '00';
      const contextOf = (id: string): TraceHeaders =>
        traceState === null ? { traceparent: `00-${traceId}-${id}-${flags}` } : { traceparent: `00-${traceId}-${id}-${flags}`, tracestate: traceState };
      const record: SpanRecord = {
        name,
        kind: SpanKind.SERVER,
        traceId,
        spanId,
        parentSpanId: parent?.spanId ?? null,
        parentRemote: parent !== null,
        traceFlags,
        traceState,
        startMs: now(),
        endMs: 0,
        httpStatus: null,
        errorType: null,
        attributes: attributes ?? {},
      };
      const attempts: UpstreamTrace[] = [];
      return {
        // Built only when asked for (a response header): most calls never read it.
        get headers() {
          return contextOf(spanId);
        },
        traceId,
        spanId,
        startUpstream(upstreamName, upstreamAttributes) {
          const childId = randomSpanId();
          const child: SpanRecord = {
            name: upstreamName,
            kind: SpanKind.CLIENT,
            traceId,
            spanId: childId,
            parentSpanId: spanId,
            parentRemote: false,
            traceFlags,
            traceState,
            startMs: now(),
            endMs: 0,
            httpStatus: null,
            errorType: null,
            attributes: upstreamAttributes ?? {},
          };
          return {
            headers: contextOf(childId),
            end(result) {
              if (child.endMs !== 0) return;
              child.endMs = now();
              child.httpStatus = result.status ?? null;
              child.errorType = result.error ?? null;
              if (sampled) sink(child);
            },
          };
        },
        startAttempt(target, attempt, routeNode, routeGroup) {
          const up: UpstreamTrace = {
            spanId: randomSpanId(),
            startMs: now(),
            endMs: 0,
            status: null,
            error: null,
            host: target.host,
            port: target.port,
            attempt,
            routeNode,
            routeGroup,
          };
          if (sampled) attempts.push(up);
          return {
            headers: contextOf(up.spanId),
            end(result) {
              if (up.endMs !== 0) return;
              up.endMs = now();
              up.status = result.status ?? null;
              up.error = result.error ?? null;
            },
          };
        },
        finish(details) {
          if (record.endMs !== 0) return null;
          record.endMs = now();
          if (!sampled) return null;
          return {
            traceId,
            spanId,
            parentSpanId: record.parentSpanId,
            parentRemote: record.parentRemote,
            traceFlags,
            traceState,
            startMs: record.startMs,
            endMs: record.endMs,
            ...details,
            upstreams: attempts,
          };
        },
        setAttributes(more) {
          // The first set is taken as it is (no copy): the call path builds one object per span.
          if (Object.keys(record.attributes).length === 0) record.attributes = more;
          else Object.assign(record.attributes, more);
        },
        rename(newName) {
          record.name = newName;
        },
        end(result) {
          if (record.endMs !== 0) return;
          record.endMs = now();
          record.httpStatus = result.status;
          record.errorType = result.errorCode ?? null;
          if (sampled) sink(record);
        },
      };
    },
  };
}
