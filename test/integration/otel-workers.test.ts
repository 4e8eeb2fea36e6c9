import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// `serve --workers 2` with OpenTelemetry on: the workers send their request-log batches (with the
// sampled calls' traces beside the rows) to the primary's one writer, whose thread builds and exports
// the spans and log records. Every call must reach the collector exactly once, whichever worker served it.

const CALLS = 24;
const SERVICE = 'gh-workers-otel';

describe('serve --workers 2 with GATEHOUSE_OTLP_ENDPOINT', () => {
  let db: TestDatabase;
  let upstream: SampleUpstream;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let primary: ChildProcess;
  let urls: { proxy: string; admin: string; adminApi: string; issuer: string };
  let adminToken: string;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    upstream = await startUpstream();
    receiver = await startOtlpReceiver();
    const started = await spawnServe(
      ['--workers', '2', '--port', '0'],
      {
        ...db.env,
        GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        GATEHOUSE_HOST: '127.0.0.1',
        GATEHOUSE_OTLP_ENDPOINT: receiver.endpoint,
        GATEHOUSE_OTEL_SERVICE_NAME: SERVICE,
      },
      110_000,
    );
    primary = started.child;
    urls = started.summary.urls;
    expect(started.summary.workers).toBe(2);
    ({ accessToken: adminToken } = await loginWithPassword({ issuer: urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: urls.adminApi }));
    const admin = async (method: string, path: string, body: unknown) => {
      const res = await call(urls.adminApi, adminToken, method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const col = await admin('POST', '/collections', { slug: 'wk', name: 'Workers', published: true, allowAnonymous: true });
    const proxy = await admin('POST', '/proxies', { collectionId: col.id, name: 'W', basePath: '/wk', upstreams: [upstream.url] });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders' });
    // Both workers have the config once four calls in a row (two per worker, round robin) pass.
    let streak = 0;
    for (const deadline = Date.now() + 15_000; streak < 4 && Date.now() < deadline; ) {
      streak = (await proxyCall(randomUUID(), undefined)) === 200 ? streak + 1 : 0;
    }
  }, 180_000);

  afterAll(async () => {
    if (primary && primary.exitCode === null) {
      const exited = new Promise((r) => primary.once('exit', r));
      primary.kill('SIGTERM');
      await exited;
    }
    await upstream?.close();
    await receiver?.close();
    await db?.drop();
  }, 60_000);

  /** One call on a connection of its own, so node:cluster hands each call to the next worker. */
  async function proxyCall(requestId: string, traceparent: string | undefined): Promise<number> {
    const res = await request(`${urls.proxy}/wk/orders`, {
      headers: { 'x-request-id': requestId, ...(traceparent ? { traceparent } : {}) },
      reset: true,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await res.body.dump();
    return res.statusCode;
  }

  async function workerCalls(): Promise<number[]> {
    const res = await request(`${urls.admin}/metrics`, { headers: { authorization: `Bearer ${adminToken}` }, reset: true });
    const text = await res.body.text();
    return [...text.matchAll(/^gatehouse_worker_requests_total\{worker="\d+"\} (\d+)/gm)].map((m) => Number(m[1]));
  }

  it('exports each call’s SERVER span, CLIENT span and log record exactly once, from the primary’s writer', async () => {
    const before = await workerCalls();
    const calls = Array.from({ length: CALLS }, () => ({ requestId: randomUUID(), traceId: randomBytes(16).toString('hex') }));
    for (const c of calls) expect(await proxyCall(c.requestId, `00-${c.traceId}-${'ab'.repeat(8)}-01`)).toBe(200);
    const after = await workerCalls();
    // The calls were spread over both workers.
    expect(after.length).toBe(2);
    expect(after.every((n, i) => n > (before[i] ?? 0))).toBe(true);

    const traceIds = new Set(calls.map((c) => c.traceId));
    const requestIds = new Set<string>(calls.map((c) => c.requestId));
    const ours = () => ({
      spans: receiver.spans.filter((s) => s.resource['service.name'] === SERVICE && traceIds.has(s.traceId)),
      logs: receiver.logs.filter((l) => l.scope === 'gatehouse.request-log' && requestIds.has(l.attributes['gatehouse.request.id'] as string)),
    });
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const { spans, logs } = ours();
      if (spans.length >= 2 * CALLS && logs.length >= CALLS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Long enough for a second copy from another writer to have arrived too.
    await new Promise((r) => setTimeout(r, 1_500));
    const { spans, logs } = ours();
    for (const c of calls) {
      const trace = spans.filter((s) => s.traceId === c.traceId);
      const server = trace.filter((s) => s.kind === 2);
      const client = trace.filter((s) => s.kind === 3);
      expect(server, c.traceId).toHaveLength(1);
      expect(client, c.traceId).toHaveLength(1);
      expect(server[0]).toMatchObject({ name: 'GET /wk/orders', parentSpanId: 'ab'.repeat(8) });
      expect(client[0]!.parentSpanId).toBe(server[0]!.spanId);
      expect(logs.filter((l) => l.attributes['gatehouse.request.id'] === c.requestId)).toHaveLength(1);
    }
    expect(spans).toHaveLength(2 * CALLS);
    expect(logs).toHaveLength(CALLS);
  }, 60_000);
});
