import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/index.js';
import {
  createRequestLogWriter,
  errorEndpoints,
  LATENCY_BOUNDS_MS,
  latencyBucket,
  methods,
  metricsDashboard,
  metricsOverview,
  statusCodes,
  timeseries,
  topEndpoints,
} from '../../src/telemetry/index.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';
import { countBy, dataset, databaseOptions, errorsOf, exactPercentile, type Filter, rec, select } from './telemetry-fixtures.js';

const quiet = { error: () => {} };
const START = Date.parse('2026-03-08T21:00:00Z');
const records = dataset(4000, START, 3 * 86_400_000, 42);

// Aligned and ragged ranges, so day, hour and minute rollups all take part.
const RANGES: Filter[] = [
  { from: '2026-03-08T00:00:00Z', to: '2026-03-13T00:00:00Z' },
  { from: '2026-03-09T00:00:00Z', to: '2026-03-11T00:00:00Z' },
  { from: '2026-03-08T22:17:31Z', to: '2026-03-11T03:42:10.500Z' },
  { from: '2026-03-10T05:10:00Z', to: '2026-03-10T07:55:00Z' },
  { from: '2026-03-10T05:10:00Z', to: '2026-03-10T05:19:00Z' },
];
const FILTERS: Array<Omit<Filter, 'from' | 'to'>> = [
  {},
  { collectionId: 'col_a' },
  { clientId: 'cli_b' },
  { collectionId: 'col_b', clientId: 'cli_c' },
  { channel: 'mcp' },
  { collectionId: 'col_a', channel: 'rest' },
  { clientId: 'cli_b', channel: 'federation' },
];
const CASES = RANGES.flatMap((r) => FILTERS.map((f) => ({ ...r, ...f })));

/** The percentile must lie in the histogram bucket that holds the exact one. */
function expectWithinBucket(answer: number | null, exact: number): void {
  const b = latencyBucket(exact);
  const lower = b === 0 ? 0 : LATENCY_BOUNDS_MS[b - 1]!;
  const upper = LATENCY_BOUNDS_MS[b] ?? lower;
  expect(answer).not.toBeNull();
  expect(answer!).toBeGreaterThanOrEqual(lower);
  expect(answer!).toBeLessThanOrEqual(upper);
}

function byEndpoint(rs: RequestRecord[]) {
  const groups = new Map<string, RequestRecord[]>();
  for (const r of rs) {
    if (r.endpointId === null) continue;
    groups.set(r.endpointId, [...(groups.get(r.endpointId) ?? []), r]);
  }
  return [...groups.entries()].map(([endpointId, list]) => ({ endpointId, count: list.length, errors: errorsOf(list), list }));
}

for (const dialect of await dialects()) {
  describe(`metrics queries (${dialect})`, () => {
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
      await t.drop();
    });

    it('overview: totals, errors, bytes, latency', async () => {
      for (const f of CASES) {
        const expected = select(records, f);
        const o = await metricsOverview(t.db, f);
        expect(o.totalRequests, JSON.stringify(f)).toBe(expected.length);
        expect(o.errors).toBe(errorsOf(expected));
        expect(o.clientErrors).toBe(expected.filter((r) => r.status >= 400 && r.status < 500).length);
        expect(o.serverErrors).toBe(expected.filter((r) => r.status >= 500).length);
        if (expected.length === 0) {
          expect(o).toMatchObject({ errorRate: 0, avgLatencyMs: null, p50LatencyMs: null });
          continue;
        }
        expect(o.errorRate).toBeCloseTo(errorsOf(expected) / expected.length, 10);
        expect(o.bytesIn).toBe(expected.reduce((a, r) => a + r.bytesIn, 0));
        expect(o.bytesOut).toBe(expected.reduce((a, r) => a + r.bytesOut, 0));
        expect(o.avgLatencyMs!).toBeCloseTo(expected.reduce((a, r) => a + r.latencyMs, 0) / expected.length, 1);
        expectWithinBucket(o.p50LatencyMs, exactPercentile(expected, 0.5));
        expectWithinBucket(o.p95LatencyMs, exactPercentile(expected, 0.95));
        expectWithinBucket(o.p99LatencyMs, exactPercentile(expected, 0.99));
      }
    });

    it('overview: the answer names the minute-aligned range it covers', async () => {
      const o = await metricsOverview(t.db, RANGES[2]!);
      expect(o.from).toBe('2026-03-08T22:17:00.000Z');
      expect(o.to).toBe('2026-03-11T03:43:00.000Z');
    });

    it('status codes and classes', async () => {
      for (const f of CASES) {
        const expected = select(records, f);
        const s = await statusCodes(t.db, f);
        expect(s.total).toBe(expected.length);
        expect(Object.fromEntries(s.codes.map((c) => [c.status, c.count]))).toEqual(countBy(expected, (r) => r.status));
        expect(s.codes.map((c) => c.status)).toEqual([...s.codes.map((c) => c.status)].sort((a, b) => a - b));
        expect(s.classes).toEqual(countBy(expected, (r) => `${Math.floor(r.status / 100)}xx`));
      }
    });

    it('methods', async () => {
      for (const f of CASES) {
        const expected = select(records, f);
        const m = await methods(t.db, f);
        expect(Object.fromEntries(m.methods.map((x) => [x.method, x.count]))).toEqual(countBy(expected, (r) => r.method));
        for (const x of m.methods) expect(x.errors).toBe(errorsOf(expected.filter((r) => r.method === x.method)));
        expect(m.methods.map((x) => x.count)).toEqual([...m.methods.map((x) => x.count)].sort((a, b) => b - a));
      }
    });

    it('top endpoints by volume, without unmatched calls', async () => {
      for (const f of CASES) {
        const expected = byEndpoint(select(records, f))
          .sort((a, b) => b.count - a.count || a.endpointId.localeCompare(b.endpointId))
          .slice(0, 3);
        const top = await topEndpoints(t.db, { ...f, limit: 3, minErrorRate: 0.05 });
        expect(top.endpoints.map((e) => [e.endpointId, e.count, e.errors])).toEqual(expected.map((e) => [e.endpointId, e.count, e.errors]));
        for (const [i, e] of top.endpoints.entries()) {
          expect(e.collectionId).toBe(expected[i]!.list[0]!.collectionId);
          expectWithinBucket(e.p95LatencyMs, exactPercentile(expected[i]!.list, 0.95));
        }
      }
    });

    it('endpoints with elevated error rates, worst first', async () => {
      for (const f of CASES) {
        for (const minErrorRate of [0, 0.45, 0.6]) {
          const expected = byEndpoint(select(records, f))
            .filter((e) => e.errors > 0 && e.errors / e.count >= minErrorRate)
            .sort((a, b) => b.errors / b.count - a.errors / a.count || b.errors - a.errors || a.endpointId.localeCompare(b.endpointId));
          const got = await errorEndpoints(t.db, { ...f, limit: 10, minErrorRate });
          expect(got.endpoints.map((e) => [e.endpointId, e.count, e.errors])).toEqual(expected.map((e) => [e.endpointId, e.count, e.errors]));
        }
      }
    });

    it('volume over time in minute, hour and day buckets', async () => {
      for (const f of CASES) {
        for (const bucket of ['minute', 'hour', 'day'] as const) {
          if (bucket === 'minute' && Date.parse(f.to) - Date.parse(f.from) > 3 * 86_400_000) continue;
          const len = { minute: 16, hour: 13, day: 10 }[bucket];
          const expected = select(records, f);
          const ts = await timeseries(t.db, { ...f, bucket });
          expect(Object.fromEntries(ts.points.map((p) => [p.start.slice(0, len), p.count]))).toEqual(countBy(expected, (r) => r.time.slice(0, len)));
          const starts = ts.points.map((p) => p.start);
          expect(starts).toEqual([...starts].sort());
          for (const p of ts.points) {
            const inBucket = expected.filter((r) => r.time.slice(0, len) === p.start.slice(0, len));
            expect(p.errors).toBe(errorsOf(inBucket));
            expect(p.bytesOut).toBe(inBucket.reduce((a, r) => a + r.bytesOut, 0));
          }
        }
      }
    });

    it('the dashboard answers exactly what the six queries answer, from one read of the rollups', async () => {
      for (const f of CASES) {
        const knobs = { limit: 3, minErrorRate: 0.45 };
        const got = await metricsDashboard(t.db, { ...f, bucket: 'hour', ...knobs });
        const top = await topEndpoints(t.db, { ...f, ...knobs });
        const failing = await errorEndpoints(t.db, { ...f, ...knobs });
        // Latency sums are floating point: added in another order (PostgreSQL) an average may differ in its last digit.
        const exact = (r: typeof top) => ({ ...r, endpoints: r.endpoints.map(({ avgLatencyMs: _avg, ...e }) => e) });
        expect({ ...got, topEndpoints: exact(got.topEndpoints), errorEndpoints: exact(got.errorEndpoints) }).toEqual({
          overview: await metricsOverview(t.db, f),
          timeseries: await timeseries(t.db, { ...f, bucket: 'hour' }),
          statusCodes: await statusCodes(t.db, f),
          methods: await methods(t.db, f),
          topEndpoints: exact(top),
          errorEndpoints: exact(failing),
        });
        for (const [i, e] of got.topEndpoints.endpoints.entries()) expect(e.avgLatencyMs).toBeCloseTo(top.endpoints[i]!.avgLatencyMs!, 1);
      }
    });

    it('refuses a range with too many buckets', async () => {
      await expect(timeseries(t.db, { ...RANGES[0]!, bucket: 'minute' })).rejects.toMatchObject({
        code: 'GATEHOUSE_VALIDATION_FAILED',
      });
    });

    it('answers nothing, not an error, for a range without traffic', async () => {
      const empty = { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' };
      expect(await metricsOverview(t.db, empty)).toMatchObject({ totalRequests: 0, errorRate: 0, p95LatencyMs: null });
      expect((await statusCodes(t.db, empty)).codes).toEqual([]);
      expect((await timeseries(t.db, { ...empty, bucket: 'hour' })).points).toEqual([]);
      expect((await topEndpoints(t.db, { ...empty, limit: 5, minErrorRate: 0 })).endpoints).toEqual([]);
    });
  });

  describe(`metrics queries, by hand (${dialect})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => {
      await t.drop();
    });

    it('defaults to the last 24 hours and counts exactly what was recorded', async () => {
      const now = Date.now();
      const at = (minsAgo: number) => new Date(now - minsAgo * 60_000).toISOString();
      const w = createRequestLogWriter({ database: databaseOptions(t), logger: quiet });
      w.record(rec({ time: at(10), status: 200, latencyMs: 4, bytesIn: 1, bytesOut: 10 }));
      w.record(rec({ time: at(20), status: 201, latencyMs: 40, bytesIn: 2, bytesOut: 20, method: 'POST', endpointId: 'ep_a2' }));
      w.record(rec({ time: at(30), status: 404, latencyMs: 400, bytesIn: 3, bytesOut: 30, clientId: 'cli_b' }));
      w.record(rec({ time: at(40), status: 503, latencyMs: 4000, bytesIn: 4, bytesOut: 40, errorCode: 'UPSTREAM' }));
      w.record(rec({ time: at(2 * 24 * 60), status: 200 }));
      await w.close();

      const o = await metricsOverview(t.db, {});
      expect(o).toMatchObject({
        totalRequests: 4,
        errors: 2,
        clientErrors: 1,
        serverErrors: 1,
        errorRate: 0.5,
        bytesIn: 10,
        bytesOut: 100,
        avgLatencyMs: 1111,
      });
      expect(Date.parse(o.to) - Date.parse(o.from)).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect((await metricsOverview(t.db, { clientId: 'cli_b' })).totalRequests).toBe(1);
      expect((await statusCodes(t.db, {})).classes).toEqual({ '2xx': 2, '4xx': 1, '5xx': 1 });
      expect((await methods(t.db, {})).methods.map((m) => [m.method, m.count])).toEqual([
        ['GET', 3],
        ['POST', 1],
      ]);
      const errs = await errorEndpoints(t.db, { limit: 10, minErrorRate: 0.5 });
      expect(errs.endpoints.map((e) => [e.endpointId, e.count, e.errors, e.errorRate])).toEqual([['ep_a1', 3, 2, 2 / 3]]);
    });
  });
}
