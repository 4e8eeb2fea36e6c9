import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { McpAnalytics, McpAnalyticsDimension, McpAnalyticsQuery, McpCallStats, McpCapabilityCounts, McpGuardrailCounts } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { HISTOGRAM_COLUMNS, HISTOGRAM_SIZE, percentile, round } from '../histogram.js';
import { GUARDRAIL_OUTCOMES } from '../guardrail-outcomes.js';
import type { McpOutcome } from '../mcp-rollups.js';
import { bucketStart, bucketText, metricsRange, plan, sum } from './range.js';
import { inSnapshot } from './snapshot.js';
import { num } from './totals.js';

const COLUMN_OF: Record<McpAnalyticsDimension, 'server' | 'tool' | 'subject' | 'actor'> = { server: 'server', tool: 'tool', user: 'subject', agent: 'actor' };
const TOOL_CALL = 'tools/call';
const TOOLS_LIST = 'tools/list';
/** Where each MCP method is counted in capability volume; any other method counts as `other`. */
const CAPABILITY_OF: Record<string, keyof McpCapabilityCounts> = {
  'tools/list': 'toolsList',
  'tools/call': 'toolsCall',
  'prompts/list': 'promptsList',
  'prompts/get': 'promptsGet',
  'resources/list': 'resourcesList',
  'resources/read': 'resourcesRead',
};

/** Counters of one group while rows are folded in. */
interface Tally {
  byOutcome: Record<McpOutcome, number>;
  agentCalls: number;
  latencySumMs: number;
  histogram: number[];
  tokensReturned: number;
  tokensListed: number;
}

function tally(): Tally {
  return {
    byOutcome: { ok: 0, gateway: 0, auth: 0, upstream: 0 },
    agentCalls: 0,
    latencySumMs: 0,
    histogram: new Array<number>(HISTOGRAM_SIZE).fill(0),
    tokensReturned: 0,
    tokensListed: 0,
  };
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
    tokensReturned: t.tokensReturned,
    tokensListed: t.tokensListed,
  };
}

/**
 * Federated tool calls per virtual server, tool and/or user over a range (default: the last 24
 * hours): calls, success rate, latency percentiles, failures by origin and guardrail outcomes, with
 * capability volume per server, from the mcp_rollups and mcp_guardrail_rollups (whole days from
 * day rows, whole hours from hour rows, the edges from minute rows).
 */
export function mcpAnalytics(db: Kysely<DB>, q: McpAnalyticsQuery): Promise<McpAnalytics> {
  // One snapshot: the time series, capabilities and guardrails describe the same rows as the totals.
  return inSnapshot(db, (trx) => readMcpAnalytics(trx, q));
}

async function readMcpAnalytics(db: Kysely<DB>, q: McpAnalyticsQuery): Promise<McpAnalytics> {
  const ms = metricsRange(q);
  const dims = [...new Set(q.groupBy.split(',') as McpAnalyticsDimension[])];
  const columns = dims.map((d) => COLUMN_OF[d]);
  const segments = plan(ms, 'day').map(
    (s) => sql`(resolution = ${s.resolution} and bucket >= ${bucketText(s.fromMs, s.resolution)} and bucket < ${bucketText(s.toMs, s.resolution)})`,
  );
  const inRange = sql<boolean>`(${sql.join(segments, sql` or `)})`;
  let query = db
    .selectFrom('mcp_rollups')
    .where(inRange)
    .where('method', 'in', [TOOL_CALL, TOOLS_LIST])
    .select([...columns, 'outcome', 'method', sum('count'), sum('agent_calls'), sum('latency_sum_ms'), sum('tokens'), ...HISTOGRAM_COLUMNS.map((c) => sum(c))])
    .groupBy([...columns, 'outcome', 'method']);
  if (q.server !== undefined) query = query.where('server', '=', q.server);
  if (q.tool !== undefined) query = query.where('tool', '=', q.tool);
  if (q.user !== undefined) query = query.where('subject', '=', q.user);
  if (q.agent !== undefined) query = query.where('actor', '=', q.agent === 'none' ? '' : q.agent);

  const timeseries = q.bucket === undefined ? undefined : await bucketsOf(db, q, ms, q.bucket);
  const capabilities = await capabilitiesOf(db, q, inRange);
  const guardrails = await guardrailsOf(db, q, inRange, columns);
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
  // A group that only listed tools (a listing names no tool) made no call: not a group of calls.
  const ranked = [...groups.values()]
    .filter(({ tally: t }) => Object.values(t.byOutcome).some((n) => n > 0))
    .map(({ key, tally: t }) => ({
      ...('server' in key ? { server: key.server } : {}),
      ...('tool' in key ? { tool: key.tool } : {}),
      ...('subject' in key ? { user: key.subject === '' ? null : key.subject } : {}),
      ...('actor' in key ? { agent: key.actor === '' ? null : key.actor } : {}),
      ...statsOf(t),
      guardrails: guardrails.byGroup.get(JSON.stringify(columns.map((c) => key[c]))) ?? noGuardrails(),
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
    capabilities,
    guardrails: { ...guardrails.totals, redactedKinds: guardrails.redactedKinds },
  };
}

function noCapabilities(): McpCapabilityCounts {
  return { toolsList: 0, toolsCall: 0, promptsList: 0, promptsGet: 0, resourcesList: 0, resourcesRead: 0, other: 0 };
}

function noGuardrails(): McpGuardrailCounts {
  return { blocked: 0, redacted: 0, flagged: 0, approved: 0, denied: 0, held: 0 };
}

/** Requests per server and MCP method over the range (server, user and agent filters), from the mcp_rollups. */
async function capabilitiesOf(db: Kysely<DB>, q: McpAnalyticsQuery, inRange: RawBuilder<boolean>): Promise<McpAnalytics['capabilities']> {
  let query = db
    .selectFrom('mcp_rollups')
    .where(inRange)
    .select(['server', 'method', sum('count')])
    .groupBy(['server', 'method']);
  if (q.server !== undefined) query = query.where('server', '=', q.server);
  if (q.user !== undefined) query = query.where('subject', '=', q.user);
  if (q.agent !== undefined) query = query.where('actor', '=', q.agent === 'none' ? '' : q.agent);
  const totals = noCapabilities();
  const servers = new Map<string, McpCapabilityCounts>();
  for (const row of (await query.execute()) as Array<Record<string, unknown>>) {
    const server = String(row.server);
    let counts = servers.get(server);
    if (!counts) {
      counts = noCapabilities();
      servers.set(server, counts);
    }
    const field = CAPABILITY_OF[String(row.method)] ?? 'other';
    const n = num(row.count);
    counts[field] += n;
    totals[field] += n;
  }
  const all = (c: McpCapabilityCounts) => Object.values(c).reduce((a, b) => a + b, 0);
  return {
    ...totals,
    servers: [...servers.entries()].map(([server, c]) => ({ server, ...c })).sort((a, b) => all(b) - all(a) || a.server.localeCompare(b.server)),
  };
}

/** Guardrail outcomes over the range with the query's filters, in all and per group, from the mcp_guardrail_rollups. */
async function guardrailsOf(
  db: Kysely<DB>,
  q: McpAnalyticsQuery,
  inRange: RawBuilder<boolean>,
  columns: ReadonlyArray<'server' | 'tool' | 'subject' | 'actor'>,
) {
  let query = db
    .selectFrom('mcp_guardrail_rollups')
    .where(inRange)
    .select([...columns, 'outcome', 'kind', sum('count')])
    .groupBy([...columns, 'outcome', 'kind']);
  if (q.server !== undefined) query = query.where('server', '=', q.server);
  if (q.tool !== undefined) query = query.where('tool', '=', q.tool);
  if (q.user !== undefined) query = query.where('subject', '=', q.user);
  if (q.agent !== undefined) query = query.where('actor', '=', q.agent === 'none' ? '' : q.agent);
  const totals = noGuardrails();
  const redactedKinds: Record<string, number> = {};
  const byGroup = new Map<string, McpGuardrailCounts>();
  for (const row of (await query.execute()) as Array<Record<string, unknown>>) {
    const outcome = String(row.outcome) as keyof McpGuardrailCounts;
    if (!GUARDRAIL_OUTCOMES.includes(outcome)) continue;
    const n = num(row.count);
    const kind = String(row.kind);
    if (kind !== '') {
      if (outcome === 'redacted') redactedKinds[kind] = (redactedKinds[kind] ?? 0) + n;
      continue;
    }
    const id = JSON.stringify(columns.map((c) => String(row[c])));
    let counts = byGroup.get(id);
    if (!counts) {
      counts = noGuardrails();
      byGroup.set(id, counts);
    }
    counts[outcome] += n;
    totals[outcome] += n;
  }
  return { totals, redactedKinds, byGroup };
}

/** Adds one rollup row's counters to a tally. */
function fold(t: Tally, row: Record<string, unknown>): void {
  // A listing is not a call: only its tokens count.
  if (row.method === TOOLS_LIST) {
    t.tokensListed += num(row.tokens);
    return;
  }
  t.tokensReturned += num(row.tokens);
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
    .where('method', 'in', [TOOL_CALL, TOOLS_LIST])
    .select(['bucket', 'outcome', 'method', sum('count'), sum('agent_calls'), sum('latency_sum_ms'), sum('tokens'), ...HISTOGRAM_COLUMNS.map((c) => sum(c))])
    .groupBy(['bucket', 'outcome', 'method']);
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
