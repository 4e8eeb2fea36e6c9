import { describe, expect, it } from 'vitest';
import type { CallTrace } from '../../core/index.js';
import { readTraces, TraceReader, TraceSection } from './trace-section.js';

const trace = (n: number, extra: Partial<CallTrace> = {}): CallTrace => ({
  traceId: `${n}`.padStart(32, 'a'),
  spanId: `${n}`.padStart(16, 'b'),
  parentSpanId: null,
  parentRemote: false,
  traceFlags: 1,
  traceState: null,
  startMs: 1_764_000_000_000.125 + n,
  endMs: 1_764_000_000_003.5 + n,
  route: null,
  collectionSlug: null,
  workflowId: null,
  workflowVersion: null,
  guardrails: null,
  upstreams: [],
  ...extra,
});

describe('TraceSection', () => {
  it('reads back every field of each trace with its row, nulls, non-ASCII and long text included, across buffer growth', () => {
    const section = new TraceSection();
    const rich = trace(1, {
      parentSpanId: '00f067aa0ba902b7',
      parentRemote: true,
      traceState: 'vendor=é'.repeat(3),
      route: `/shop/${'x'.repeat(100)}/{id}`,
      collectionSlug: 'shop',
      workflowId: 'wf_1',
      workflowVersion: 3,
      guardrails: 'guard:flagged score=0.9; pii:redacted email=1 — ünïcode',
      upstreams: [
        {
          spanId: 'c'.repeat(16),
          startMs: 1.5,
          endMs: 2.25,
          status: 503,
          error: 'GATEHOUSE_UPSTREAM_UNREACHABLE',
          host: '127.0.0.1',
          port: 9,
          attempt: 1,
          routeNode: 'n1',
          routeGroup: 'canary',
        },
        {
          spanId: 'd'.repeat(16),
          startMs: 3,
          endMs: 0,
          status: null,
          error: null,
          host: 'api.example.org',
          port: 443,
          attempt: 2,
          routeNode: null,
          routeGroup: null,
        },
      ],
    });
    section.push(0, rich);
    const many = Array.from({ length: 300 }, (_, i) => trace(i + 2));
    for (const [i, t] of many.entries()) section.push(i * 2 + 1, t);
    expect(section.count).toBe(301);
    const bytes = section.take()!;
    expect(section.take()).toBeNull();
    const read: Array<[number, CallTrace]> = [];
    readTraces(bytes, (row, t) => read.push([row, t]));
    expect(read[0]).toEqual([0, rich]);
    expect(read.slice(1)).toEqual(many.map((t, i) => [i * 2 + 1, t]));

    // Read in place, trace by trace in row order, the same fields come back.
    const reader = new TraceReader();
    reader.reset(bytes);
    const inPlace: Array<[number, CallTrace]> = [];
    while (reader.nextRow !== -1) {
      const row = reader.nextRow;
      reader.next();
      const text = (at: number, length: number) => reader.text(at, length);
      const nullable = (n: number) => (Number.isNaN(n) ? null : n);
      const upstreams = Array.from({ length: reader.upstreams }, (_, i) => {
        const up = reader.readUpstream(i);
        return {
          spanId: text(up.spanIdAt, up.spanIdLength)!,
          startMs: up.startMs,
          endMs: up.endMs,
          status: nullable(up.status),
          error: text(up.errorAt, up.errorLength),
          host: text(up.hostAt, up.hostLength)!,
          port: up.port,
          attempt: up.attempt,
          routeNode: text(up.routeNodeAt, up.routeNodeLength),
          routeGroup: text(up.routeGroupAt, up.routeGroupLength),
        };
      });
      inPlace.push([
        row,
        {
          traceId: text(reader.traceIdAt, reader.traceIdLength)!,
          spanId: text(reader.spanIdAt, reader.spanIdLength)!,
          parentSpanId: text(reader.parentSpanIdAt, reader.parentSpanIdLength),
          parentRemote: reader.parentRemote,
          traceFlags: reader.traceFlags,
          traceState: text(reader.traceStateAt, reader.traceStateLength),
          startMs: reader.startMs,
          endMs: reader.endMs,
          route: text(reader.routeAt, reader.routeLength),
          collectionSlug: text(reader.collectionSlugAt, reader.collectionSlugLength),
          workflowId: text(reader.workflowIdAt, reader.workflowIdLength),
          workflowVersion: nullable(reader.workflowVersion),
          guardrails: text(reader.guardrailsAt, reader.guardrailsLength),
          upstreams,
        },
      ]);
    }
    expect(inPlace).toEqual(read);
  });

  it('a section cut short is refused, not read past its end', () => {
    const section = new TraceSection();
    section.push(0, trace(1, { route: '/a/long/enough/route' }));
    const bytes = section.take()!;
    const reader = new TraceReader();
    reader.reset(bytes.subarray(0, bytes.length - 20));
    expect(() => reader.next()).toThrow(RangeError);
  });
});
