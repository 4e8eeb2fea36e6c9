import { type Kysely, sql } from 'kysely';
import type { McpAnalytics, McpAnalyticsDimension, McpAnalyticsQuery, McpCallStats } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { HISTOGRAM_COLUMNS, HISTOGRAM_SIZE, percentile, round } from '../histogram.js';
import type { McpOutcome } from '../mcp-rollups.js';
import { bucketStart, bucketText, metricsRange, plan, sum } from './range.js';
import { num } from './totals.js';

const COLUMN_OF: Record<McpAnalyticsDimension, 'server' | 'tool' | 'subject' | 'actor'> = { server: 'server', tool: 'tool', user: 'subject', agent: 'actor' };

/** Counters of one group while rows are folded in. */
interface Tally {
  byOutcome: Record<McpOutcome, number>;
  agentCalls: number;
  latencySumMs: number;
  histogram: number[];
}

function tally(): Tally {
  return { byOutcome: { ok: 0, gateway: 0, auth: 0, upstream: 0 }, agentCalls: 0, latencySumMs: 0, histogram: new Array<number>(HISTOGRAM_SIZE).fill(0) };
}

function statsOf(t: Tally): McpCallStats {
  const { ok, gateway, auth, upstream } = t.byOutcome;
  const calls = ok + gateway + auth + upstream;
  return {
    calls,
    succeeded: ok,
    successRate: calls === 0 ? null : ok / calls,
    agentCalls: t.agentCalls,
    avgLatencyMs: calls === 0 ? null : round(t.latencySumMs / calls),
    p50LatencyMs: percentile(t.histogram, 0.5),
    p95LatencyMs: percentile(t.histogram, 0.95),
    p99LatencyMs: percentile(t.histogram, 0.99),
    failures: { gateway, auth, upstream },
  };
}

/**
 * Federated tool calls per virtual server, tool and/or user over a range (default: the last 24
 * hours): calls, success rate, latency percentiles and failures by origin, from the mcp_rollups
 * (whole days from day rows, whole hours from hour rows, the edges from minute rows).
 */
export async function mcpAnalytics(db: Kysely<DB>, q: McpAnalyticsQuery): Promise<McpAnalytics> {
  const ms = metricsRange(q);
  const dims = [...new Set(q.groupBy.split(',') as McpAnalyticsDimension[])];
  const columns = dims.map((d) => COLUMN_OF[d]);
  const segments = plan(ms, 'day').map(
    (s) => sql`(resolution = ${s.resolution} and bucket >= ${bucketText(s.fromMs, s.resolution)} and bucket < ${bucketText(s.toMs, s.resolution)})`,
  );
  let query = db
    .selectFrom('mcp_rollups')
    .where(sql<boolean>`(${sql.join(segments, sql` or `)})`)
    .select([...columns, 'outcome', sum('count'), sum('agent_calls'), sum('latency_sum_ms'), ...HISTOGRAM_COLUMNS.map((c) => sum(c))])
    .groupBy([...columns, 'outcome']);
  if (q.server !== undefined) query = query.where('server', '=', q.server);
  if (q.tool !== undefined) query = query.where('tool', '=', q.tool);
  if (q.user !== undefined) query = query.where('subject', '=', q.user);
  if (q.agent !== undefined) query = query.where('actor', '=', q.agent === 'none' ? '' : q.agent);

  const timeseries = q.bucket === undefined ? undefined : await bucketsOf(db, q, ms, q.bucket);
  const totals = tally();
  const groups = new Map<string, { key: Record<string, string>; tally: Tally }>();
  for (const row of (await query.execute()) as Array<Record<string, unknown>>) {
    const key = Object.fromEntries(columns.map((c) => [c, String(row[c])]));
    const id = JSON.stringify(columns.map((c) => key[c]));
    let group = groups.get(id);
    if (!group) {
      group = { key, tally: tally() };
      groups.set(id, group);
    }
    for (const t of [group.tally, totals]) fold(t, row);
  }
  const ranked = [...groups.values()]
    .map(({ key, tally: t }) => ({
      ...('server' in key ? { server: key.server } : {}),
      ...('tool' in key ? { tool: key.tool } : {}),
      ...('subject' in key ? { user: key.subject === '' ? null : key.subject } : {}),
      ...('actor' in key ? { agent: key.actor === '' ? null : key.actor } : {}),
      ...statsOf(t),
    }))
    .sort(
      (a, b) => b.calls - a.calls || JSON.stringify([a.server, a.tool, a.user, a.agent]).localeCompare(JSON.stringify([b.server, b.tool, b.user, b.agent])),
    );
  return {
    from: new Date(ms.fromMs).toISOString(),
    to: new Date(ms.toMs).toISOString(),
    groupBy: dims,
    totals: statsOf(totals),
    groups: ranked.slice(0, q.limit),
    truncated: ranked.length > q.limit,
    ...(timeseries ? { timeseries } : {}),
  };
}

/** Adds one rollup row's counters to a tally. */
function fold(t: Tally, row: Record<string, unknown>): void {
  const outcome = row.outcome as McpOutcome;
  if (outcome in t.byOutcome) t.byOutcome[outcome] += num(row.count);
  t.agentCalls += num(row.agent_calls);
  t.latencySumMs += num(row.latency_sum_ms);
  HISTOGRAM_COLUMNS.forEach((c, i) => {
    t.histogram[i]! += num(row[c]);
  });
}

/** The totals per bucket of one resolution over the range (the buckets it touches), with the query's filters. */
async function bucketsOf(db: Kysely<DB>, q: McpAnalyticsQuery, ms: { fromMs: number; toMs: number }, resolution: 'minute' | 'hour' | 'day') {
  let query = db
    .selectFrom('mcp_rollups')
    .where('resolution', '=', resolution)
    .where('bucket', '>=', bucketText(ms.fromMs, resolution))
    .where('bucket', '<=', bucketText(ms.toMs - 1, resolution))
    .select(['bucket', 'outcome', sum('count'), sum('agent_calls'), sum('latency_sum_ms'), ...HISTOGRAM_COLUMNS.map((c) => sum(c))])
    .groupBy(['bucket', 'outcome']);
  if (q.server !== undefined) query = query.where('server', '=', q.server);
  if (q.tool !== undefined) query = query.where('tool', '=', q.tool);
  if (q.user !== undefined) query = query.where('subject', '=', q.user);
  if (q.agent !== undefined) query = query.where('actor', '=', q.agent === 'none' ? '' : q.agent);
  const byBucket = new Map<string, Tally>();
  for (const row of (await query.execute()) as Array<Record<string, unknown>>) {
    const bucket = String(row.bucket);
    let t = byBucket.get(bucket);
    if (!t) {
      t = tally();
      byBucket.set(bucket, t);
    }
    fold(t, row);
  }
  return [...byBucket.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([bucket, t]) => ({ start: bucketStart(bucket), ...statsOf(t) }));
}
