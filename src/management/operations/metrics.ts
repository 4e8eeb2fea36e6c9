import { z } from 'zod';
import {
  DashboardQuery,
  EndpointRanking,
  GatehouseError,
  Id,
  MethodDistribution,
  MetricsDashboard,
  MetricsOverview,
  MetricsQuery,
  RequestLogEntry,
  RequestLogQuery,
  type RequestRecord,
  StatusCodeDistribution,
  Timeseries,
  TimeseriesQuery,
  TopEndpointsQuery,
} from '../../core/index.js';
import { metricsDashboard } from '../../telemetry/queries/dashboard.js';
import { methods, statusCodes } from '../../telemetry/queries/distribution.js';
import { errorEndpoints, topEndpoints } from '../../telemetry/queries/endpoints.js';
import { metricsOverview } from '../../telemetry/queries/overview.js';
import { getRequestLog, searchRequestLogs } from '../../telemetry/queries/request-logs.js';
import { timeseries } from '../../telemetry/queries/timeseries.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { listOf } from './crud.js';
import { subjectNames } from './subject-names.js';

/** Request logs with the names of who each call was made as, and of the agent acting for them. */
async function named(ctx: OperationContext, records: readonly RequestRecord[]) {
  const nameOf = await subjectNames(
    ctx.db,
    records.flatMap((r) => [r.subject, r.actor]),
  );
  return records.map((r) => ({ ...r, subjectName: nameOf(r.subject), actorName: nameOf(r.actor) }));
}

function metricsOperation<A extends string, Q extends z.ZodType, O extends z.ZodType>(
  action: A,
  summary: string,
  input: Q,
  output: O,
  run: (db: Parameters<typeof metricsOverview>[0], q: z.output<Q>) => Promise<z.input<O>>,
) {
  return defineOperation({
    name: `metrics.${action}` as `metrics.${A}`,
    resource: 'metrics',
    action,
    summary,
    permission: 'read',
    input,
    output,
    http: { method: 'GET', path: `/metrics/${action}` },
    handler: (ctx, q) => run(ctx.db, q),
  });
}

export const metricsOperations = [
  metricsOperation('overview', 'Totals, error rate and p50/p95/p99 latency', MetricsQuery, MetricsOverview, metricsOverview),
  metricsOperation('status-codes', 'Calls by status code', MetricsQuery, StatusCodeDistribution, statusCodes),
  metricsOperation('methods', 'Calls by HTTP method', MetricsQuery, MethodDistribution, methods),
  metricsOperation('top-endpoints', 'Endpoints by call volume', TopEndpointsQuery, EndpointRanking, topEndpoints),
  metricsOperation('error-endpoints', 'Endpoints whose error rate is at or above minErrorRate', TopEndpointsQuery, EndpointRanking, errorEndpoints),
  metricsOperation('timeseries', 'Calls over time in minute, hour or day buckets', TimeseriesQuery, Timeseries, timeseries),
  metricsOperation(
    'dashboard',
    'All six views at once (totals, timeseries, status codes, methods, top and error endpoints): one read of the rollups',
    DashboardQuery,
    MetricsDashboard,
    metricsDashboard,
  ),
  defineOperation({
    name: 'request-logs.list',
    resource: 'request-logs',
    action: 'list',
    summary: 'Search request logs, newest first',
    permission: 'read',
    input: RequestLogQuery,
    output: listOf(RequestLogEntry),
    http: { method: 'GET', path: '/request-logs' },
    handler: async (ctx, q) => {
      const page = await searchRequestLogs(ctx.db, q);
      return { ...page, items: await named(ctx, page.items) };
    },
  }),
  defineOperation({
    name: 'request-logs.get',
    resource: 'request-logs',
    action: 'get',
    summary: 'Get one request log entry',
    permission: 'read',
    input: z.strictObject({ id: Id }),
    output: RequestLogEntry,
    http: { method: 'GET', path: '/request-logs/{id}' },
    handler: async (ctx, q) => {
      const entry = await getRequestLog(ctx.db, q.id);
      if (!entry) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No request log with id ${q.id}.`);
      const [shown] = await named(ctx, [entry]);
      return shown!;
    },
  }),
] as const;
