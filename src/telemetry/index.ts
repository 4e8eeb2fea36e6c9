export { HISTOGRAM_COLUMNS, LATENCY_BOUNDS_MS, latencyBucket, percentile } from './histogram.js';
export { createTelemetryMetrics, renderMetrics, type TelemetryMetrics } from './prometheus.js';
export { type MethodDistribution, methods, type StatusCodeDistribution, statusCodes } from './queries/distribution.js';
export { metricsDashboard } from './queries/dashboard.js';
export { type EndpointRanking, type EndpointTraffic, errorEndpoints, topEndpoints } from './queries/endpoints.js';
export { type MetricsOverview, metricsOverview } from './queries/overview.js';
export type { TimeRange } from './queries/range.js';
export { getRequestLog, type RequestLogPage, searchRequestLogs } from './queries/request-logs.js';
export { type Timeseries, type TimeseriesPoint, timeseries } from './queries/timeseries.js';
export type { Traffic } from './queries/totals.js';
export type { Recorder } from './recorder.js';
export { upsertRollups } from './rollup-upsert.js';
export { ALL_CLIENTS, isError, RollupAccumulator, type RollupBatch } from './rollups.js';
export {
  createRequestLogWriter,
  hostRequestLogWriter,
  type RequestLogWriter,
  type RequestLogWriterHost,
  type RequestLogWriterOptions,
  type TelemetryLogger,
} from './writer.js';
export type { WriterChannel } from './writer-link.js';
export type { WriterReply, WriterRequest } from './writer-protocol.js';
