import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { rawConnection } from '../support/raw-http.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// Request targets a fuzzer builds from path pieces that break routers — percent-encodings valid and
// not, dot segments, empty segments, templates, unicode, over-long segments — sent raw over the wire
// so no client library tidies them first. The gateway answers each with a status below 500 (its own
// 4xx or what the live upstream said), and never drops the connection without one.
const RUNS = Number(process.env.GATEHOUSE_FUZZ_RUNS_ROUTER ?? 1500);
const SEED = Number(process.env.GATEHOUSE_FUZZ_SEED ?? 20261123);

// Bounded in time too: on a slow machine the run stops early rather than overrun the suite.
const TIME_LIMIT_MS = 60_000;

let t: TestGatehouse;
let upstream: SampleUpstream;
let token: string;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startUpstream();
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(t.api, t.adminToken, method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  const col = await ok('POST', '/collections', { slug: 'route', name: 'Route', published: true });
  const proxy = await ok('POST', '/proxies', { collectionId: col.id, name: 'R', basePath: '/shop/v1', upstreams: [upstream.url] });
  for (const [method, path] of [
    ['GET', '/orders'],
    ['GET', '/orders/{id}'],
    ['POST', '/orders/{id}/items'],
    ['GET', '/files/{path}'],
    ['DELETE', '/orders/{id}'],
  ])
    await ok('POST', `/proxies/${proxy.id}/endpoints`, { method, path });
  const client = await ok('POST', '/clients', { name: 'Fuzz', collectionIds: [col.id] });
  const profile = await ok('POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
  token = (await ok('POST', `/profiles/${profile.id}/credentials`, {})).token;
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

/** Drops whitespace and control characters (they cannot be on a request line); the rest stays. */
const printable = (s: string, also = '') => [...s].filter((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) !== 0x7f && !also.includes(c)).join('');

const piece = fc.oneof(
  fc.constantFrom('shop', 'v1', 'orders', 'items', 'files', '42', '..', '.', '', '%2e%2e', '%2F', '%00', '%zz', '%', '%E0%A4%A', '{id}', ';x=1', '%20', 'é', '~', '*'),
  fc.string({ maxLength: 12 }).map((s) => printable(s)),
  fc.constant('a'.repeat(3000)),
);
const target = fc
  .tuple(
    fc.oneof(
      fc.array(piece, { minLength: 0, maxLength: 7 }),
      // Mostly under the proxy's base path, where the route table is.
      fc.array(piece, { minLength: 0, maxLength: 4 }).map((rest) => ['shop', 'v1', ...rest]),
      fc.constantFrom(['shop', 'v1', 'orders'], ['shop', 'v1', 'orders', '42']),
    ),
    fc.option(fc.string({ maxLength: 20 }).map((q) => printable(q, '#'))),
  )
  .map(([parts, query]) => `/${parts.join('/')}${query === null ? '' : `?${query}`}`)
  // Non-ASCII goes on the wire percent-encoded, as clients send it.
  .map((path) => [...path].map((c) => (c.charCodeAt(0) > 0x7e ? encodeURIComponent(c) : c)).join(''));
const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'OPTIONS', 'HEAD', 'PATCH');

describe('fuzzed request targets on the proxy listener', { timeout: 120_000 }, () => {
  it('never answer 5xx and never hang up without a status', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(method, target, async (m, path) => {
        const conn = rawConnection(
          t.gh.urls.proxy,
          `${m} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        await conn.closed;
        const head = /^HTTP\/1\.1 (\d{3})/.exec(conn.received());
        expect(head, `${m} ${path.slice(0, 200)} → ${conn.received().slice(0, 200)}`).not.toBeNull();
        const status = Number(head![1]);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status, `${m} ${path.slice(0, 200)} → ${conn.received().slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
    // The fuzzer reached real routes too, not only refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  });
});
