import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpAnalyticsQuery, RequestRecord } from '../../src/core/index.js';
import { McpAnalyticsQuery as QuerySchema } from '../../src/core/index.js';
import { createRequestLogWriter, LATENCY_BOUNDS_MS, latencyBucket } from '../../src/telemetry/index.js';
import { outcomeOf } from '../../src/telemetry/mcp-rollups.js';
import { mcpAnalytics } from '../../src/telemetry/queries/mcp-analytics.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';
import { databaseOptions, exactPercentile, prng, rec, select } from './telemetry-fixtures.js';

const quiet = { error: () => {} };
const START = Date.parse('2026-05-04T20:00:00Z');
const SERVERS = ['alpha', 'beta'];
const TOOLS = ['lookup', 'github__create_issue'];
const SUBJECTS = ['user:usr_1', 'user:usr_2', 'service:sa_ci', null];
// (status, error code): a success, and failures of each origin.
const RESULTS: Array<[number, string | null]> = [
  [200, null],
  [200, null],
  [200, null],
  [429, 'GATEHOUSE_RATE_LIMITED'],
  [409, 'GATEHOUSE_MCP_TOOL_CHANGED'],
  [502, 'GATEHOUSE_BACKEND_TOKEN_FAILED'],
  [401, 'GATEHOUSE_INVALID_TOKEN'],
  [504, 'GATEHOUSE_UPSTREAM_TIMEOUT'],
  [502, 'GATEHOUSE_MCP_UPSTREAM_ERROR'],
];

/** Federated calls across two days, with REST calls mixed in (which analytics must ignore). */
function federatedDataset(n: number): RequestRecord[] {
  const rnd = prng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const time = new Date(START + Math.floor(rnd() * 2 * 86_400_000)).toISOString();
    const latencyMs = Math.round(Math.exp(rnd() * 8) * 100) / 100;
    if (i % 6 === 5) return rec({ time, latencyMs });
    const server = pick(SERVERS);
    const tool = pick(TOOLS);
    const [status, errorCode] = pick(RESULTS);
    const subject = pick(SUBJECTS);
    return rec({
      channel: 'federation',
      collectionId: null,
      proxyId: null,
      endpointId: null,
      clientId: null,
      profileId: null,
      method: 'POST',
      path: `/mcp/v/${server}`,
      mcpTool: `${tool} → upstream/${tool.replace('github__', '')}`,
      time,
      latencyMs,
      status,
      errorCode,
      subject,
      actor: subject?.startsWith('user:') && rnd() < 0.3 ? 'service:sa_agent' : null,
    });
  });
}

const METHODS = ['tools/list', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read', 'initialize'];
// What workflow guardrails decided, as the request log's summary says.
const SUMMARIES = [
  'wf_pii@2 pii:redacted email=2,card=1',
  'wf_pii@2 pii:blocked phone=1',
  'wf_guard@1 pg:flagged score=0.91 ignore_previous=1 tp:held apr_1',
  'wf_guard@1 tp:approved apr_2 pii:redacted email=1',
  'wf_guard@1 tp:denied apr_3',
  'wf_guard@1 tp:approval-required',
  'wf_plain@1 route:canary',
];

/** The federated dataset, with some requests other than tool calls and some calls guardrails acted on. */
function withMethodsAndGuardrails(list: RequestRecord[]): RequestRecord[] {
  return list.map((r, i) => {
    if (r.channel !== 'federation') return r;
    if (i % 7 === 3) return { ...r, mcpTool: null, mcpMethod: METHODS[i % METHODS.length]!, errorCode: null, status: 200 };
    return { ...r, mcpMethod: i % 2 === 0 ? 'tools/call' : null, workflow: i % 3 === 0 ? SUMMARIES[i % SUMMARIES.length]! : null };
  });
}

const records = withMethodsAndGuardrails(federatedDataset(3000));
const isToolCall = (r: RequestRecord) => r.channel === 'federation' && (r.mcpMethod ?? 'tools/call') === 'tools/call';
const serverOf = (r: RequestRecord) => r.path.slice('/mcp/v/'.length);
const toolOf = (r: RequestRecord) => r.mcpTool!.split(' → ')[0]!;

const CASES: Array<Partial<McpAnalyticsQuery> & { from: string; to: string }> = [
  { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z' },
  { from: '2026-05-04T21:13:20Z', to: '2026-05-06T02:05:00Z', groupBy: 'server' },
  { from: '2026-05-05T03:00:00Z', to: '2026-05-05T03:41:00Z', groupBy: 'user' },
  { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', groupBy: 'tool,user', server: 'beta' },
  { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', groupBy: 'server,tool', user: 'user:usr_2' },
  { from: '2026-05-05T00:00:00Z', to: '2026-05-06T00:00:00Z', tool: 'lookup' },
  { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', groupBy: 'agent' },
  { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', groupBy: 'user,agent', agent: 'service:sa_agent' },
  { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', groupBy: 'server', agent: 'none' },
];

function expectedGroups(q: (typeof CASES)[number]) {
  const dims = (q.groupBy ?? 'server,tool,user').split(',');
  const matching = select(records, q).filter(
    (r) =>
      isToolCall(r) &&
      (q.server === undefined || serverOf(r) === q.server) &&
      (q.tool === undefined || toolOf(r) === q.tool) &&
      (q.user === undefined || r.subject === q.user) &&
      (q.agent === undefined || (r.actor ?? 'none') === q.agent),
  );
  const groups = new Map<string, RequestRecord[]>();
  for (const r of matching) {
    const key = JSON.stringify(dims.map((d) => (d === 'server' ? serverOf(r) : d === 'tool' ? toolOf(r) : d === 'agent' ? r.actor : r.subject)));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return { matching, groups };
}

/** Percentiles come from the histogram: the answer must lie in the bucket holding the exact one. */
function expectWithinBucket(answer: number | null, exact: number): void {
  const b = latencyBucket(exact);
  const lower = b === 0 ? 0 : LATENCY_BOUNDS_MS[b - 1]!;
  expect(answer).not.toBeNull();
  expect(answer!).toBeGreaterThanOrEqual(lower);
  expect(answer!).toBeLessThanOrEqual(LATENCY_BOUNDS_MS[b] ?? lower);
}

function stats(list: RequestRecord[]) {
  const origin = (o: string) => list.filter((r) => outcomeOf(r.status, r.errorCode) === o).length;
  return {
    calls: list.length,
    succeeded: origin('ok'),
    agentCalls: list.filter((r) => r.actor !== null).length,
    failures: { gateway: origin('gateway'), auth: origin('auth'), upstream: origin('upstream') },
  };
}

describe('failure origins', () => {
  it('puts credentials failures under auth, the upstream’s under upstream, the rest under gateway', () => {
    expect(outcomeOf(200, null)).toBe('ok');
    expect(
      ['GATEHOUSE_INVALID_TOKEN', 'GATEHOUSE_FORBIDDEN', 'GATEHOUSE_BACKEND_TOKEN_FAILED', 'GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE'].map((c) =>
        outcomeOf(502, c),
      ),
    ).toEqual(['auth', 'auth', 'auth', 'auth']);
    expect(['GATEHOUSE_UPSTREAM_UNREACHABLE', 'GATEHOUSE_UPSTREAM_TIMEOUT', 'GATEHOUSE_MCP_UPSTREAM_ERROR'].map((c) => outcomeOf(502, c))).toEqual([
      'upstream',
      'upstream',
      'upstream',
    ]);
    expect(['GATEHOUSE_RATE_LIMITED', 'GATEHOUSE_MCP_TOOL_CHANGED', 'GATEHOUSE_INTERNAL'].map((c) => outcomeOf(429, c))).toEqual([
      'gateway',
      'gateway',
      'gateway',
    ]);
  });
});

for (const dialect of await dialects()) {
  describe(`MCP analytics (${dialect})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
      const w = createRequestLogWriter({ database: databaseOptions(t), batchSize: 500, logger: quiet });
      for (const [i, r] of records.entries()) {
        w.record(r);
        if (i % 1000 === 999) await w.flush();
      }
      await w.close();
    });
    afterAll(async () => {
      await t?.drop();
    });

    it('answers calls, success rate, failures by origin and latency percentiles per server, tool and user, as the raw calls say', async () => {
      for (const c of CASES) {
        const answer = await mcpAnalytics(t.db, QuerySchema.parse(c));
        const { matching, groups } = expectedGroups(c);
        expect(answer.totals, JSON.stringify(c)).toMatchObject(stats(matching));
        expect(answer.groups.length, JSON.stringify(c)).toBe(Math.min(groups.size, 100));
        for (const g of answer.groups) {
          const dims = answer.groupBy;
          const key = JSON.stringify(dims.map((d) => (d === 'server' ? g.server : d === 'tool' ? g.tool : d === 'agent' ? g.agent : g.user)));
          const list = groups.get(key);
          expect(list, key).toBeDefined();
          expect(g, key).toMatchObject(stats(list!));
          expect(g.successRate).toBeCloseTo(stats(list!).succeeded / list!.length, 10);
          for (const p of [0.5, 0.95, 0.99] as const) {
            const answer = p === 0.5 ? g.p50LatencyMs : p === 0.95 ? g.p95LatencyMs : g.p99LatencyMs;
            expectWithinBucket(answer, exactPercentile(list!, p));
          }
        }
        // Busiest first.
        expect(answer.groups.map((g) => g.calls)).toEqual([...answer.groups.map((g) => g.calls)].sort((a, b) => b - a));
      }
    });

    it('names unknown callers null, keeps the limit and says when it cut', async () => {
      const all = await mcpAnalytics(t.db, QuerySchema.parse({ from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', groupBy: 'user' }));
      expect(all.groups.map((g) => g.user).sort()).toEqual([null, 'service:sa_ci', 'user:usr_1', 'user:usr_2'].sort());
      expect(all.groups.find((g) => g.user === 'service:sa_ci')?.agentCalls).toBe(0);
      const cut = await mcpAnalytics(t.db, QuerySchema.parse({ from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', limit: 3 }));
      expect(cut.groups).toHaveLength(3);
      expect(cut.truncated).toBe(true);
      const empty = await mcpAnalytics(t.db, QuerySchema.parse({ from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', server: 'nope' }));
      expect(empty).toMatchObject({ groups: [], truncated: false, totals: { calls: 0, successRate: null, p50LatencyMs: null } });
    });

    it('answers the totals per bucket over time (hours, days), as the raw calls say', async () => {
      for (const [bucket, length] of [
        ['hour', 13],
        ['day', 10],
      ] as const) {
        const q = { from: '2026-05-04T21:00:00Z', to: '2026-05-06T03:00:00Z', server: 'beta', bucket };
        const answer = await mcpAnalytics(t.db, QuerySchema.parse(q));
        const { matching } = expectedGroups({ from: q.from, to: q.to, server: 'beta' });
        const byBucket = new Map<string, RequestRecord[]>();
        for (const r of matching) byBucket.set(r.time.slice(0, length), [...(byBucket.get(r.time.slice(0, length)) ?? []), r]);
        const series = answer.timeseries ?? [];
        // Buckets the range touches, oldest first; for day buckets whole days (the edge days beyond the range too).
        if (bucket === 'hour') {
          expect(series.map((p) => p.start.slice(0, length))).toEqual([...byBucket.keys()].sort());
          for (const p of series) expect(p, p.start).toMatchObject(stats(byBucket.get(p.start.slice(0, length))!));
        }
        expect(series.map((p) => p.start)).toEqual([...series.map((p) => p.start)].sort());
        expect(series.reduce((n, p) => n + p.calls, 0)).toBeGreaterThanOrEqual(answer.totals.calls);
      }
      // Without `bucket`, no series.
      expect((await mcpAnalytics(t.db, QuerySchema.parse({ from: '2026-05-04T00:00:00Z', to: '2026-05-05T00:00:00Z' }))).timeseries).toBeUndefined();
    });

    it('answers capability volume per server from the rollups, as the raw requests say', async () => {
      for (const c of [
        { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z' },
        { from: '2026-05-04T21:13:20Z', to: '2026-05-06T02:05:00Z', server: 'beta' },
        { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', user: 'user:usr_1' },
      ]) {
        const answer = await mcpAnalytics(t.db, QuerySchema.parse(c));
        const raw = select(records, c).filter(
          (r) => r.channel === 'federation' && (c.server === undefined || serverOf(r) === c.server) && (c.user === undefined || r.subject === c.user),
        );
        const count = (list: RequestRecord[], method: string) => list.filter((r) => (r.mcpMethod ?? 'tools/call') === method).length;
        const expected = (list: RequestRecord[]) => ({
          toolsList: count(list, 'tools/list'),
          toolsCall: count(list, 'tools/call'),
          promptsList: count(list, 'prompts/list'),
          promptsGet: count(list, 'prompts/get'),
          resourcesList: count(list, 'resources/list'),
          resourcesRead: count(list, 'resources/read'),
          other: count(list, 'initialize'),
        });
        expect(answer.capabilities, JSON.stringify(c)).toMatchObject(expected(raw));
        expect(answer.capabilities.toolsList).toBeGreaterThan(0);
        const servers = [...new Set(raw.map(serverOf))].sort();
        expect(answer.capabilities.servers.map((s) => s.server).sort()).toEqual(servers);
        for (const s of answer.capabilities.servers) expect(s).toMatchObject(expected(raw.filter((r) => serverOf(r) === s.server)));
      }
    });

    it('answers guardrail outcomes in all, per group and redactions by kind, as the raw calls say', async () => {
      const c = { from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', groupBy: 'server,user' };
      const answer = await mcpAnalytics(t.db, QuerySchema.parse(c));
      const has = (r: RequestRecord, outcome: string) => (r.workflow ?? '').split(' ').some((w) => w.endsWith(`:${outcome}`));
      const counts = (list: RequestRecord[]) => ({
        blocked: list.filter((r) => has(r, 'blocked')).length,
        redacted: list.filter((r) => has(r, 'redacted')).length,
        flagged: list.filter((r) => has(r, 'flagged')).length,
        approved: list.filter((r) => has(r, 'approved')).length,
        denied: list.filter((r) => has(r, 'denied')).length,
        held: list.filter((r) => has(r, 'held') || has(r, 'approval-required')).length,
      });
      const { matching, groups } = expectedGroups(c);
      expect(answer.guardrails).toMatchObject(counts(matching));
      expect(answer.guardrails.blocked).toBeGreaterThan(0);
      const found = (kind: string) =>
        matching.reduce((n, r) => n + Number(/pii:redacted (\S+)/.exec(r.workflow ?? '')?.[1]?.match(new RegExp(`${kind}=(\\d+)`))?.[1] ?? 0), 0);
      expect(answer.guardrails.redactedKinds).toEqual({ email: found('email'), card: found('card') });
      for (const g of answer.groups) {
        const list = groups.get(JSON.stringify([g.server, g.user]))!;
        expect(g.guardrails, JSON.stringify([g.server, g.user])).toEqual(counts(list));
      }
      const oneTool = await mcpAnalytics(t.db, QuerySchema.parse({ ...c, tool: 'lookup' }));
      expect(oneTool.guardrails).toMatchObject(counts(matching.filter((r) => toolOf(r) === 'lookup')));
    });

    it('refuses a bad grouping and a range that ends before it starts', async () => {
      expect(QuerySchema.safeParse({ groupBy: 'server,colour' }).success).toBe(false);
      await expect(mcpAnalytics(t.db, QuerySchema.parse({ from: '2026-05-06T00:00:00Z', to: '2026-05-04T00:00:00Z' }))).rejects.toMatchObject({
        code: 'GATEHOUSE_VALIDATION_FAILED',
      });
    });
  });
}
