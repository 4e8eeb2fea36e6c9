import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError, type RequestLogQuery, type RequestRecord } from '../../src/core/index.js';
import { createRequestLogWriter, getRequestLog, searchRequestLogs } from '../../src/telemetry/index.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';
import { databaseOptions, dataset, rec } from './telemetry-fixtures.js';

const quiet = { error: () => {} };
const START = Date.parse('2026-03-09T00:00:00Z');
// Same-millisecond pairs make the id tie-break matter for paging.
const records: RequestRecord[] = [
  ...dataset(600, START, 86_400_000, 9),
  ...Array.from({ length: 6 }, () => rec({ time: '2026-03-09T12:00:00.000Z', path: '/tie' })),
];
const newestFirst = (rs: RequestRecord[]) => [...rs].sort((a, b) => (a.time === b.time ? (a.id < b.id ? 1 : -1) : a.time < b.time ? 1 : -1));

type Q = Partial<RequestLogQuery>;

for (const dialect of await dialects()) {
  describe(`request-log search (${dialect})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
      // Small batches: many segments whose time ranges overlap, so the search must merge across them.
      const w = createRequestLogWriter({ database: databaseOptions(t), batchSize: 50, logger: quiet });
      for (const r of records) w.record(r);
      await w.close();
    });
    afterAll(async () => {
      await t.drop();
    });

    async function all(q: Q, limit = 37): Promise<RequestRecord[]> {
      const out: RequestRecord[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await searchRequestLogs(t.db, { limit, ...q, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        out.push(...page.items);
        if (!page.nextCursor) return out;
        cursor = page.nextCursor;
      }
    }

    const cases: Array<[string, Q, (r: RequestRecord) => boolean]> = [
      ['everything', {}, () => true],
      [
        'time range',
        { from: '2026-03-09T06:00:00Z', to: '2026-03-09T07:30:00.000Z' },
        (r) => r.time >= '2026-03-09T06:00:00.000Z' && r.time < '2026-03-09T07:30:00.000Z',
      ],
      ['status', { status: 404 }, (r) => r.status === 404],
      ['method', { method: 'DELETE' }, (r) => r.method === 'DELETE'],
      ['client', { clientId: 'cli_a' }, (r) => r.clientId === 'cli_a'],
      ['profile', { profileId: 'prf_b' }, (r) => r.profileId === 'prf_b'],
      ['collection', { collectionId: 'col_b' }, (r) => r.collectionId === 'col_b'],
      ['latency range', { minLatencyMs: 50, maxLatencyMs: 400 }, (r) => r.latencyMs >= 50 && r.latencyMs <= 400],
      ['path substring, any case', { path: 'V2/ORDERS' }, (r) => r.path.includes('v2/orders')],
      ['path wildcards taken literally', { path: '50%_' }, (r) => r.path.includes('50%_')],
      ['wildcard that matches nothing literally', { path: '/a%' }, () => false],
      ['body text, any case, either body', { bodyText: 'acme' }, (r) => !!r.requestBody?.includes('ACME')],
      ['body text in the response', { bodyText: '100%_REAL' }, (r) => !!r.responseBody?.includes('100%_real')],
      ['combined', { clientId: 'cli_c', status: 200, minLatencyMs: 10 }, (r) => r.clientId === 'cli_c' && r.status === 200 && r.latencyMs >= 10],
    ];

    for (const [name, q, match] of cases) {
      it(`filters: ${name}, paged without duplicates or gaps`, async () => {
        const expected = newestFirst(records.filter(match)).map((r) => r.id);
        if (name !== 'wildcard that matches nothing literally') expect(expected.length).toBeGreaterThan(0);
        const got = (await all(q)).map((r) => r.id);
        expect(new Set(got).size).toBe(got.length);
        expect(got).toEqual(expected);
      });
    }

    it('pages one row at a time through same-time rows', async () => {
      const got = (await all({ path: '/tie' }, 1)).map((r) => r.id);
      expect(got).toEqual(newestFirst(records.filter((r) => r.path === '/tie')).map((r) => r.id));
    });

    it('returns whole records, exactly as recorded', async () => {
      const page = await searchRequestLogs(t.db, { limit: 500, bodyText: 'acme' });
      for (const item of page.items) expect(item).toEqual(records.find((r) => r.id === item.id));
    });

    it('rejects a bad cursor with a validation error', async () => {
      for (const cursor of ['nonsense', Buffer.from('[1]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
        const err = await searchRequestLogs(t.db, { limit: 10, cursor }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(GatehouseError);
        expect(err).toMatchObject({ code: 'GATEHOUSE_VALIDATION_FAILED' });
      }
    });

    it('gets one entry by id', async () => {
      const r = records[123]!;
      expect(await getRequestLog(t.db, r.id)).toEqual(r);
      expect(await getRequestLog(t.db, 'req_missing')).toBeUndefined();
    });
  });
}
