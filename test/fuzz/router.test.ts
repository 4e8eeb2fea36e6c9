import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRuns, runFuzz } from '../support/fuzz.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { rawConnection } from '../support/raw-http.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// Request targets a fuzzer builds from path pieces that break routers — percent-encodings valid and
// not, dot segments, empty segments, templates, unicode, over-long segments — sent raw over the wire
// so no client library tidies them first. The gateway answers each with a status below 500 (its own
// 4xx or what the live upstream said), and never drops the connection without one.
// A fixed number of cases with the fixed seed; GATEHOUSE_FUZZ_RUNS_ROUTER changes it (chunked bodies get a fifth).
const RUNS = fuzzRuns('GATEHOUSE_FUZZ_RUNS_ROUTER', { local: 1000, ci: 600, floor: 200 });
const CHUNKED_RUNS = { runs: Math.ceil(RUNS.runs / 5), floor: Math.ceil(RUNS.floor / 5) };

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
  fc.constantFrom(
    'shop',
    'v1',
    'orders',
    'items',
    'files',
    '42',
    '..',
    '.',
    '',
    '%2e%2e',
    '%2F',
    '%00',
    '%zz',
    '%',
    '%E0%A4%A',
    '{id}',
    ';x=1',
    '%20',
    'é',
    '~',
    '*',
  ),
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

/** Reads the one answer on a raw connection: its status, or null when the server hung up (or went quiet for 3 s) without one. */
async function answerTo(raw: string): Promise<{ status: number | null; received: string }> {
  const conn = rawConnection(t.gh.urls.proxy, raw);
  const received = await conn.until(/^HTTP\/1\.1 \d{3} /, 3000);
  conn.socket.destroy();
  const head = /^HTTP\/1\.1 (\d{3}) /.exec(received);
  return { status: head ? Number(head[1]) : null, received };
}

/** Request lines every run starts with: ones node:http cannot parse, and CONNECT, which it would drop without a word. */
const HOSTILE: [string, string][] = [
  ['CONNECT', '127.0.0.1:1'],
  ['GET', '/shop/v1/orders HTTP/1.1x'],
  ['get', '/shop/v1/orders'],
  ['FOO', '/shop/v1/orders'],
  ['GET', '/shop/v1/a b'],
  ['GET', '/shop/v1/\x01'],
  ['GET', '?x'],
  ['GET', '/shop/v1/%zz'],
];

describe('fuzzed requests on the proxy listener', { timeout: 180_000 }, () => {
  it('targets: never answer 5xx and never hang up without a status', async () => {
    const statuses = new Map<number, number>();
    await runFuzz(
      'proxy request targets',
      [method, target],
      async (m, path) => {
        const where = `${m} ${path.slice(0, 200)}`;
        const { status, received } = await answerTo(
          `${m} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        expect(status, `${where} → ${received.slice(0, 200)}`).not.toBeNull();
        statuses.set(status!, (statuses.get(status!) ?? 0) + 1);
        expect(status, `${where} → ${received.slice(0, 300)}`).toBeLessThan(500);
      },
      { ...RUNS, examples: HOSTILE },
    );
    // The fuzzer reached real routes too, not only refusals; and the malformed lines got their 400.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThanOrEqual(HOSTILE.length - 2);
  });

  it('chunked bodies: a chunk size that is not hex or overflows 64 bits is a 400 at once; a valid one is served', async () => {
    const hex = '0123456789abcdefABCDEF'.split('');
    const size = fc.oneof(
      // Valid sizes, with the bytes they declare sent in full.
      fc.integer({ min: 1, max: 512 }).map((n) => ({ line: n.toString(16), bytes: n })),
      // More than 16 hex digits: over 64 bits.
      fc.array(fc.constantFrom(...hex), { minLength: 17, maxLength: 40 }).map((d) => ({ line: `1${d.join('')}`, bytes: 3 })),
      // Not a chunk size at all.
      fc
        .string({ minLength: 1, maxLength: 10 })
        .map((s) => [...s].filter((c) => c > ' ' && c < '\x7f' && c !== ';').join(''))
        .filter((s) => s !== '' && !/^[0-9a-fA-F]+$/.test(s))
        .map((line) => ({ line, bytes: 3 })),
    );
    const extension = fc.option(fc.constantFrom(';a=b', ';x', ';q="v"'), { nil: '' });
    const outcomes = new Map<string, number>();
    await runFuzz(
      'proxy chunked bodies',
      [size, extension],
      async ({ line, bytes }, ext) => {
        const valid = /^[0-9a-fA-F]{1,16}$/.test(line);
        const raw =
          `POST /shop/v1/orders/1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
          `${line}${ext}\r\n${'x'.repeat(bytes)}\r\n${valid ? '0\r\n\r\n' : ''}`;
        const { status, received } = await answerTo(raw);
        const where = `${JSON.stringify(line + ext)} → ${received.slice(0, 200)}`;
        expect(status, where).not.toBeNull();
        // A valid body reaches the upstream (whatever it answers); an invalid size never does.
        if (valid) {
          expect(status, where).toBeLessThan(500);
          expect(received, where).not.toContain('GATEHOUSE_');
        } else {
          expect(status, where).toBe(400);
          expect(received, where).toContain('GATEHOUSE_BAD_REQUEST');
        }
        const kind = valid ? 'served' : 'refused';
        outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
      },
      {
        ...CHUNKED_RUNS,
        examples: [
          [{ line: '10000000000000000', bytes: 3 }, ''],
          [{ line: 'zz', bytes: 3 }, ';a=b'],
        ],
      },
    );
    expect(outcomes.get('served') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('refused') ?? 0).toBeGreaterThan(0);
  });
});
