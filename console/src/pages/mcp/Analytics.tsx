import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { BarList } from '../../charts/BarList';
import { ErrorBox } from '../../ui/ErrorBox';
import { Field } from '../../ui/Field';
import { num, pct } from '../../ui/format';
import { Table } from '../../ui/Table';
import { useUrlFilters } from '../../ui/url-filters';
import { Person } from '../approvals/Parts';
import { BUCKET_MS, logsLink, RANGES, type RangeKey } from '../overview/filters';

// The chart library loads with this page only.
const TimeChart = lazy(() => import('../../charts/TimeChart'));

type Query = NonNullable<paths['/mcp-analytics']['get']['parameters']['query']>;
type Stats = paths['/mcp-analytics']['get']['responses']['200']['content']['application/json']['totals'];
type Point = Stats & { start: string };
type Answer = paths['/mcp-analytics']['get']['responses']['200']['content']['application/json'];
type Guardrails = Answer['groups'][number]['guardrails'];

const REFRESH_MS = 10_000;
const DEFAULT_RANGE: RangeKey = '1h';
const GUARDRAIL_LABELS: Array<[keyof Guardrails, string]> = [
  ['blocked', 'Blocked'],
  ['redacted', 'Redacted'],
  ['flagged', 'Flagged'],
  ['held', 'Held for approval'],
  ['approved', 'Approved'],
  ['denied', 'Denied'],
];

/** `2 blocked · 1 redacted`: a group's guardrail outcomes, the ones that happened. */
function guardText(g: Guardrails): string {
  const parts = GUARDRAIL_LABELS.filter(([k]) => g[k] > 0).map(([k]) => `${g[k]} ${k}`);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

function useAnalytics(query: Query, key: unknown[]) {
  return useQuery({
    queryKey: ['mcp-analytics', ...key],
    queryFn: () => unwrap(api.GET('/mcp-analytics', { params: { query } })),
    refetchInterval: REFRESH_MS,
  });
}

/** A tool's bar: red when most of its calls fail, amber below 90 % success. */
function toneOf(successRate: number | null): 'ok' | 'warn' | 'bad' {
  if (successRate === null || successRate >= 0.9) return 'ok';
  return successRate < 0.5 ? 'bad' : 'warn';
}

/** A service account's name marked as such, so it is not taken for a person's. */
function serviceName(name: string): string {
  return `${name} (service account)`;
}

/** How a subject is shown by name: a person by username, a service account marked as one. */
function displayName(subject: string, name: string): string {
  return subject.startsWith('service:') ? serviceName(name) : name;
}

/** Every bucket of the range, the quiet ones as zero calls (the analytics answer only buckets with calls). */
function fill(points: readonly Point[], fromMs: number, toMs: number, bucketMs: number): (Point | null)[] {
  const byStart = new Map(points.map((p) => [Math.floor(Date.parse(p.start) / bucketMs) * bucketMs, p]));
  const out: (Point | null)[] = [];
  for (let t = Math.floor(fromMs / bucketMs) * bucketMs; t <= toMs; t += bucketMs) out.push(byStart.get(t) ?? null);
  return out;
}

/** The MCP analytics dashboard: federated calls by server, tool and user over time, capability volume and guardrail outcomes, from `mcp-analytics` (the rollups, never raw logs). */
export default function Analytics() {
  // The filters live in the URL: a reload, a shared link or the back button opens the same view.
  const [params, setParams] = useUrlFilters();
  const range = params.range !== undefined && params.range in RANGES ? (params.range as RangeKey) : DEFAULT_RANGE;
  const { server = '', tool = '', user = '' } = params;
  const { ms, bucket } = RANGES[range];
  const now = Math.ceil(Date.now() / REFRESH_MS) * REFRESH_MS;
  const from = new Date(now - ms).toISOString();
  const filters: Query = { from, ...(server ? { server } : {}), ...(tool ? { tool } : {}), ...(user ? { user } : {}) };
  const key = [range, server, tool, user, from];
  const byTool = useAnalytics({ ...filters, groupBy: 'tool', limit: 20, bucket }, ['tool', ...key]);
  const byUser = useAnalytics({ ...filters, groupBy: 'user', limit: 20 }, ['user', ...key]);
  const byServer = useAnalytics({ ...filters, groupBy: 'server', limit: 20 }, ['server', ...key]);
  const byAgent = useAnalytics({ ...filters, groupBy: 'agent', limit: 20 }, ['agent', ...key]);
  const virtuals = useQuery({ queryKey: ['virtual-mcps'], queryFn: () => unwrap(api.GET('/virtual-mcps', { params: { query: { limit: 500 } } })) });
  // The user filter offers everyone the role may list, and everyone the analytics name (a role limited to analytics lists no one).
  const users = useQuery({ queryKey: ['users'], retry: false, queryFn: () => unwrap(api.GET('/users', { params: { query: { limit: 500 } } })) });
  const accounts = useQuery({
    queryKey: ['service-accounts'],
    retry: false,
    queryFn: () => unwrap(api.GET('/service-accounts', { params: { query: { limit: 500 } } })),
  });
  const who = new Map<string, string>([
    ...(users.data?.items ?? []).map((u) => [`user:${u.id}`, u.username] as [string, string]),
    ...(accounts.data?.items ?? []).map((a) => [`service:${a.id}`, serviceName(a.name)] as [string, string]),
    ...(byUser.data?.groups ?? []).flatMap((g) => (g.user && g.userName ? [[g.user, displayName(g.user, g.userName)] as [string, string]] : [])),
  ]);

  const t = byTool.data?.totals;
  const raw = byTool.data?.timeseries;
  const points = useMemo(() => fill(raw ?? [], now - ms, now, BUCKET_MS[bucket]), [raw, now, ms, bucket]);
  const times = useMemo(
    () => points.map((_, i) => (Math.floor((now - ms) / BUCKET_MS[bucket]) * BUCKET_MS[bucket] + i * BUCKET_MS[bucket]) / 1000),
    [points, now, ms, bucket],
  );
  const volume = useMemo(
    () => [
      { label: 'Calls', values: points.map((p) => p?.calls ?? 0), color: '#2563eb' },
      { label: 'Failed', values: points.map((p) => (p ? p.calls - p.succeeded : 0)), color: '#dc2626' },
    ],
    [points],
  );
  const tokens = useMemo(
    () => [
      { label: 'Returned (tool results)', values: points.map((p) => p?.tokensReturned ?? 0), color: '#7c3aed' },
      { label: 'Listed (tool lists)', values: points.map((p) => p?.tokensListed ?? 0), color: '#0891b2' },
    ],
    [points],
  );
  const latency = useMemo(
    () => [
      { label: 'p50 ms', values: points.map((p) => p?.p50LatencyMs ?? null), color: '#16a34a', dots: true },
      { label: 'p95 ms', values: points.map((p) => p?.p95LatencyMs ?? null), color: '#ca8a04', dots: true },
      { label: 'p99 ms', values: points.map((p) => p?.p99LatencyMs ?? null), color: '#dc2626', dots: true },
    ],
    [points],
  );
  // Listings name no tool: their tokens count in a group of their own with no calls, left out of the tool bars.
  const groups = (byTool.data?.groups ?? []).filter((g) => g.calls > 0);
  const caps = byServer.data?.capabilities;
  const capsOf = (server: string | undefined) => caps?.servers.find((c) => c.server === server);
  const capabilityBars = caps
    ? [
        { key: 'tools/call', label: 'tools/call', value: caps.toolsCall },
        { key: 'tools/list', label: 'tools/list', value: caps.toolsList },
        { key: 'prompts', label: 'prompts', note: `${num(caps.promptsList)} list · ${num(caps.promptsGet)} get`, value: caps.promptsList + caps.promptsGet },
        {
          key: 'resources',
          label: 'resources',
          note: `${num(caps.resourcesList)} list · ${num(caps.resourcesRead)} read`,
          value: caps.resourcesList + caps.resourcesRead,
        },
        { key: 'other', label: 'other', note: 'initialize, ping, completion…', value: caps.other },
      ]
    : [];
  const guards = byServer.data?.guardrails;
  const redactedKinds = Object.entries(guards?.redactedKinds ?? {}).sort(([, a], [, b]) => b - a);
  const requests = capabilityBars.reduce((n, b) => n + b.value, 0);
  const empty = t && t.calls === 0 ? 'No calls through a virtual MCP server in this range.' : 'Loading…';
  return (
    <>
      <h1>MCP analytics</h1>
      <p className="muted">Calls through virtual MCP servers, from the gateway's rollups (they outlive the raw request logs).</p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <Field label="Time range">
          {(id) => (
            <select id={id} value={range} onChange={(e) => setParams({ range: e.target.value === DEFAULT_RANGE ? '' : e.target.value })}>
              {Object.keys(RANGES).map((r) => (
                <option key={r} value={r}>
                  Last {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Server">
          {(id) => (
            <select id={id} value={server} onChange={(e) => setParams({ server: e.target.value })}>
              <option value="">All</option>
              {virtuals.data?.items.map((v) => (
                <option key={v.id} value={v.slug}>
                  {v.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Tool">
          {(id) => (
            <select id={id} value={tool} onChange={(e) => setParams({ tool: e.target.value })}>
              <option value="">All</option>
              {tool && !groups.some((g) => g.tool === tool) ? <option value={tool}>{tool}</option> : null}
              {groups.map((g) => (
                <option key={g.tool} value={g.tool}>
                  {g.tool}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="User">
          {(id) => (
            <select id={id} value={user} onChange={(e) => setParams({ user: e.target.value })}>
              <option value="">All</option>
              {user && !who.has(user) ? <option value={user}>{user}</option> : null}
              {[...who.entries()].map(([subject, name]) => (
                <option key={subject} value={subject}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorBox error={byTool.error ?? byUser.error ?? byServer.error ?? byAgent.error} />
      <dl className="kpis" aria-label="MCP totals">
        <div>
          <dt>Tool calls</dt>
          <dd data-testid="mcp-calls">{num(t?.calls)}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd data-testid="mcp-success">{t?.successRate === null || t?.successRate === undefined ? '—' : pct(t.successRate)}</dd>
        </div>
        <div>
          <dt>p50 / p95 / p99</dt>
          <dd>
            {num(t?.p50LatencyMs, 1)} / {num(t?.p95LatencyMs, 1)} / {num(t?.p99LatencyMs, 1)} ms
          </dd>
        </div>
        <div>
          <dt>By agents for users</dt>
          <dd>{num(t?.agentCalls)}</dd>
        </div>
        <div>
          <dt title="o200k_base tokens of the tool lists served and of the tool results returned">Tokens listed / returned</dt>
          <dd data-testid="mcp-tokens">
            {num(t?.tokensListed)} / {num(t?.tokensReturned)}
          </dd>
        </div>
      </dl>
      <dl className="kpis" aria-label="Guardrail outcomes">
        {GUARDRAIL_LABELS.map(([k, label]) => (
          <div key={k}>
            <dt>{label}</dt>
            <dd data-testid={`guardrail-${k}`}>{num(guards?.[k])}</dd>
          </div>
        ))}
        <div>
          <dt>Redacted, by kind</dt>
          <dd data-testid="guardrail-kinds">{redactedKinds.length === 0 ? '—' : redactedKinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}</dd>
        </div>
      </dl>
      <div className="grid">
        <Suspense fallback={<p className="loading">Loading chart…</p>}>
          <TimeChart title="Calls over time" times={times} series={volume} />
          <TimeChart title="Latency p50 / p95 / p99" times={times} series={latency} />
          <TimeChart title="Tokens over time (o200k_base)" times={times} series={tokens} />
        </Suspense>
        <BarList
          title="Failure origins"
          empty={empty}
          bars={
            t && t.calls > 0
              ? [
                  { key: 'auth', label: 'auth', note: 'tokens, access, credentials', value: t.failures.auth, tone: 'bad' as const },
                  {
                    key: 'upstream',
                    label: 'upstream',
                    note: 'unreachable, timeout, error, tool errors',
                    value: t.failures.upstream,
                    tone: 'bad' as const,
                  },
                  { key: 'gateway', label: 'gateway', note: 'limits, withheld tools, arguments', value: t.failures.gateway, tone: 'warn' as const },
                ]
              : []
          }
        />
        <BarList
          title="Capability volume"
          empty={caps && requests === 0 ? 'No requests to a virtual MCP server in this range.' : 'Loading…'}
          bars={requests > 0 ? capabilityBars : []}
        />
        <BarList
          title="Top tools"
          empty={empty}
          bars={groups.map((g) => ({
            key: g.tool ?? '',
            label: g.tool ?? '',
            value: g.calls,
            // The tool's calls in the request log, over the same range.
            href: logsLink({ channel: 'federation', mcpTool: g.tool, path: server ? `/mcp/v/${server}` : undefined, from }),
            note: `${g.successRate === null ? '—' : pct(g.successRate)} ok · p95 ${num(g.p95LatencyMs, 1)} ms · ${num(g.tokensReturned)} tokens returned${guardText(g.guardrails) !== '—' ? ` · ${guardText(g.guardrails)}` : ''}`,
            tone: toneOf(g.successRate),
          }))}
        />
        <BarList
          title="By server"
          empty={empty}
          bars={(byServer.data?.groups ?? []).map((g) => {
            const c = capsOf(g.server);
            return {
              key: g.server ?? '',
              label: g.server ?? '',
              value: g.calls,
              note: `${g.successRate === null ? '—' : pct(g.successRate)} ok${c ? ` · ${num(c.toolsList)} tools/list · ${num(c.promptsList + c.promptsGet)} prompts · ${num(c.resourcesList + c.resourcesRead)} resources` : ''}`,
            };
          })}
        />
        <BarList
          title="By agent"
          empty={empty}
          bars={(byAgent.data?.groups ?? []).map((g) => ({
            key: g.agent ?? '',
            label: g.agent ? (g.agentName ? displayName(g.agent, g.agentName) : g.agent) : 'none (own calls)',
            title: g.agent ?? undefined,
            value: g.calls,
            note: `${g.successRate === null ? '—' : pct(g.successRate)} ok`,
          }))}
        />
      </div>
      <Table
        caption="By user (and the agents acting for them)"
        rows={byUser.data?.groups ?? []}
        rowKey={(g) => g.user ?? ''}
        empty={empty}
        columns={[
          { header: 'User', cell: (g) => (g.user ? <Person name={g.userName ? displayName(g.user, g.userName) : null} subject={g.user} /> : 'unknown caller') },
          { header: 'Calls', cell: (g) => num(g.calls) },
          { header: 'Made by an agent', cell: (g) => num(g.agentCalls) },
          { header: 'Directly', cell: (g) => num(g.calls - g.agentCalls) },
          { header: 'Success', cell: (g) => (g.successRate === null ? '—' : pct(g.successRate)) },
          { header: 'p95', cell: (g) => `${num(g.p95LatencyMs, 1)} ms` },
          { header: 'Tokens listed / returned', cell: (g) => `${num(g.tokensListed)} / ${num(g.tokensReturned)}` },
          { header: 'Failures (auth / upstream / gateway)', cell: (g) => `${g.failures.auth} / ${g.failures.upstream} / ${g.failures.gateway}` },
          { header: 'Guardrails', cell: (g) => guardText(g.guardrails) },
        ]}
      />
    </>
  );
}
