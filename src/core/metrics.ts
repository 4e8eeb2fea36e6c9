import { z } from 'zod';

/** The range a metrics answer covers (ISO-8601, UTC). */
export const TimeRange = z.object({ from: z.string(), to: z.string() });
export type TimeRange = z.infer<typeof TimeRange>;

/** Counters and latency of a set of calls. */
export const Traffic = z.object({
  count: z.number(),
  errors: z.number(),
  /** errors / count; 0 without traffic. */
  errorRate: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  avgLatencyMs: z.number().nullable(),
  /** Percentiles from the latency histogram, interpolated within a bucket. */
  p50LatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
  p99LatencyMs: z.number().nullable(),
});
export type Traffic = z.infer<typeof Traffic>;

/**
 * Totals for a range. An error is any status ≥ 400 or a call the pipeline tagged with an error
 * code; 4xx and 5xx are also reported apart.
 */
export const MetricsOverview = TimeRange.extend(Traffic.omit({ count: true }).shape).extend({
  totalRequests: z.number(),
  clientErrors: z.number(),
  serverErrors: z.number(),
});
export type MetricsOverview = z.infer<typeof MetricsOverview>;

export const StatusCodeDistribution = TimeRange.extend({
  total: z.number(),
  /** Exact codes, ascending. */
  codes: z.array(z.object({ status: z.number(), count: z.number() })),
  /** The same counts by class: `2xx`, `4xx`, … */
  classes: z.record(z.string(), z.number()),
});
export type StatusCodeDistribution = z.infer<typeof StatusCodeDistribution>;

export const MethodDistribution = TimeRange.extend({
  total: z.number(),
  /** Busiest first. */
  methods: z.array(z.object({ method: z.string(), count: z.number(), errors: z.number(), errorRate: z.number() })),
});
export type MethodDistribution = z.infer<typeof MethodDistribution>;

export const EndpointTraffic = Traffic.extend({ endpointId: z.string(), collectionId: z.string().nullable() });
export type EndpointTraffic = z.infer<typeof EndpointTraffic>;

export const EndpointRanking = TimeRange.extend({ endpoints: z.array(EndpointTraffic) });
export type EndpointRanking = z.infer<typeof EndpointRanking>;

export const TimeseriesPoint = Traffic.extend({
  /** The bucket's start (UTC). The first bucket may cover less if `from` is not aligned to it. */
  start: z.string(),
});
export type TimeseriesPoint = z.infer<typeof TimeseriesPoint>;

export const Timeseries = TimeRange.extend({
  bucket: z.enum(['minute', 'hour', 'day']),
  /** Oldest first; buckets without traffic are left out. */
  points: z.array(TimeseriesPoint),
});
export type Timeseries = z.infer<typeof Timeseries>;

/** The six metric views of one range and filter, answered together (what the console's overview shows). */
export const MetricsDashboard = z.object({
  overview: MetricsOverview,
  timeseries: Timeseries,
  statusCodes: StatusCodeDistribution,
  methods: MethodDistribution,
  topEndpoints: EndpointRanking,
  errorEndpoints: EndpointRanking,
});
export type MetricsDashboard = z.infer<typeof MetricsDashboard>;
