import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { rawConnection } from '../support/raw-http.js';
import { type SampleUpstream, start } from '../support/upstream.js';
import { Fixtures, type RunningGateway, startGateway } from './gateway-fixtures.js';

let db: TestDatabase;
let upstream: SampleUpstream;
let second: SampleUpstream;
let gw: RunningGateway;
let fx: Fixtures;
let token: string;
let clientId: string;
let deadUrl: string;

/** A loopback URL nothing listens on. */
async function deadPort(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}`;
}

async function grant(collectionId: string): Promise<{ token: string; clientId: string }> {
  const c = await fx.client({ collectionIds: [collectionId] });
  const p = await fx.profile({ clientId: c, authType: 'token' });
  return { token: (await fx.credential(p, c)).token, clientId: c };
}

async function get(path: string, t = token) {
  const res = await request(gw.url + path, { headers: { authorization: `Bearer ${t}` } });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}

/** A plain node:http call, which (unlike undici) lets a test send hop-by-hop headers. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  db = await freshDatabase('sqlite');
  upstream = await start({ name: 'a' });
  second = await start({ name: 'b' });
  deadUrl = await deadPort();
  fx = new Fixtures(db.db);
  const api = await fx.ordersApi([upstream.url], '/shop/v1', {
    timeouts: { connectMs: 1000, responseMs: 300 },
    captureBodies: { enabled: true, maxBytes: 64, redactFields: ['secret'] },
  });
  await fx.endpoint(api.proxyId, 'GET', '/stall', api.collectionId);
  ({ token, clientId } = await grant(api.collectionId));
  gw = await startGateway(db.db);
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
  await second.close();
  await db.drop();
});

describe('forwarding', () => {
  it('strips hop-by-hop and credential headers and sets X-Forwarded-*, X-Request-Id, traceparent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await rawGet(`${gw.url}/shop/v1/echo-headers?q=1`, {
      'x-api-key': token,
      'x-client-id': clientId,
      connection: 'keep-alive, x-drop-me',
      'keep-alive': 'timeout=5',
      'x-drop-me': 'secret',
      te: 'trailers',
      'proxy-authorization': 'Basic abc',
      'x-forwarded-for': '203.0.113.9',
      forwarded: 'for=10.0.0.1;proto=https',
      'x-real-ip': '10.0.0.1',
      authorization: 'Basic dXNlcjpwYXNz',
      traceparent,
      'x-request-id': 'req-123',
      host: 'api.example.com',
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-123');
    const seen = JSON.parse(res.body) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe('/echo-headers?q=1');
    for (const h of ['x-api-key', 'x-client-id', 'x-drop-me', 'keep-alive', 'te', 'proxy-authorization']) expect(seen.headers[h]).toBeUndefined();
    // Basic auth was not the gateway credential (that came as X-API-Key), so it is the upstream's.
    expect(seen.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    // The test client is not a trusted proxy: the address and scheme it claims do not travel on.
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers.forwarded).toBeUndefined();
    expect(seen.headers['x-real-ip']).toBeUndefined();
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('api.example.com');
    expect(seen.headers['x-request-id']).toBe('req-123');
    expect(seen.headers.traceparent).toBe(traceparent);
  });

  it('never forwards a bearer gateway credential and generates a request id', async () => {
    const res = await get('/shop/v1/echo-headers');
    const seen = JSON.parse(res.text) as { headers: Record<string, string> };
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-request-id']).toBe(res.headers['x-request-id']);
    expect(String(res.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reuses upstream connections', async () => {
    const before = upstream.connections;
    for (let i = 0; i < 20; i++) expect((await get('/shop/v1/orders')).status).toBe(200);
    expect(upstream.connections - before).toBeLessThanOrEqual(1);
  });

  it('captures bodies capped and redacted when the proxy asks for it', async () => {
    const res = await request(`${gw.url}/shop/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'cup', secret: 'hunter2' }),
    });
    await res.body.text();
    const rec = await gw.recorder.find(String(res.headers['x-request-id']));
    expect(rec.requestBody).toBe('{"item":"cup","secret":"[REDACTED]"}');
    expect(rec.responseBody).toBe('{"item":"cup","secret":"[REDACTED]"}');
    expect(rec.bytesIn).toBe(Buffer.byteLength(JSON.stringify({ item: 'cup', secret: 'hunter2' })));
    const big = await get('/shop/v1/orders');
    const bigRec = await gw.recorder.find(String(big.headers['x-request-id']));
    expect(bigRec.responseBody?.length).toBeLessThanOrEqual(64);
  });
});

describe('upstream failures', () => {
  it('502s when the upstream is unreachable and 504s when it is slow', async () => {
    const col = await fx.collection();
    const prx = await fx.proxy({ collectionId: col, basePath: '/down', upstreams: [deadUrl] });
    await fx.endpoint(prx, 'GET', '/orders');
    await fx.endpoint(prx, 'POST', '/upload');
    const { token: t } = await grant(col);
    await gw.holder.refresh();
    const down = await get('/down/orders', t);
    expect([down.status, JSON.parse(down.text).error.code]).toEqual([502, 'GATEHOUSE_UPSTREAM_UNREACHABLE']);
    for (const body of [Buffer.alloc(100_000), Readable.from([Buffer.alloc(70_000), Buffer.alloc(70_000)])]) {
      const up = await request(`${gw.url}/down/upload`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body });
      expect([up.statusCode, ((await up.body.json()) as { error: { code: string } }).error.code]).toEqual([502, 'GATEHOUSE_UPSTREAM_UNREACHABLE']);
    }
    const slow = await get('/shop/v1/slow?ms=2000');
    expect([slow.status, JSON.parse(slow.text).error.code]).toEqual([504, 'GATEHOUSE_UPSTREAM_TIMEOUT']);
    const rec = await gw.recorder.find(String(slow.headers['x-request-id']));
    expect([rec.status, rec.errorCode]).toEqual([504, 'GATEHOUSE_UPSTREAM_TIMEOUT']);
  });

  it('retries idempotent calls on the next target', async () => {
    const col = await fx.collection();
    const prx = await fx.proxy({ collectionId: col, basePath: '/retry', upstreams: [deadUrl, second.url], retries: 1 });
    await fx.endpoint(prx, 'GET', '/orders');
    const { token: t } = await grant(col);
    await gw.holder.refresh();
    for (let i = 0; i < 6; i++) {
      const res = await get('/retry/orders', t);
      expect([res.status, res.headers['x-upstream-name']]).toEqual([200, 'b']);
    }
  });

  it('balances round-robin and skips a target after three failures in a row', async () => {
    const col = await fx.collection();
    const prx = await fx.proxy({ collectionId: col, basePath: '/rr', upstreams: [upstream.url, second.url] });
    await fx.endpoint(prx, 'GET', '/orders');
    const dead = await fx.proxy({ collectionId: col, basePath: '/half', upstreams: [await deadPort(), second.url] });
    await fx.endpoint(dead, 'GET', '/orders');
    const { token: t } = await grant(col);
    await gw.holder.refresh();
    const names: unknown[] = [];
    for (let i = 0; i < 4; i++) names.push((await get('/rr/orders', t)).headers['x-upstream-name']);
    expect(names).toEqual(['a', 'b', 'a', 'b']);

    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await get('/half/orders', t)).status);
    expect(statuses.filter((s) => s === 502)).toHaveLength(3);
    expect(statuses.slice(6)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

describe('streaming', () => {
  const SIZE = 50 * 1024 * 1024;

  /** Peak growth of live buffer memory, collecting garbage before each sample so only retained bytes count. */
  function sampler() {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage();
    let peak = 0;
    const timer = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peak = Math.max(peak, m.arrayBuffers - base.arrayBuffers + m.heapUsed - base.heapUsed);
    }, 10);
    return {
      stop: () => {
        clearInterval(timer);
        return peak;
      },
    };
  }

  it('uploads 50 MB without buffering it', async () => {
    const chunk = Buffer.alloc(65_536, 0x62);
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= SIZE) return void this.push(null);
        sent += chunk.length;
        this.push(chunk);
      },
    });
    const mem = sampler();
    const res = await request(`${gw.url}/shop/v1/upload`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-length': String(SIZE) },
      body,
    });
    const result = (await res.body.json()) as { bytes: number };
    const growth = mem.stop();
    expect(res.statusCode).toBe(200);
    expect(result.bytes).toBe(SIZE);
    expect(growth).toBeLessThan(10 * 1024 * 1024);
    expect((await gw.recorder.find(String(res.headers['x-request-id']))).bytesIn).toBe(SIZE);
  });

  it('uploads a chunked body, counting its bytes', async () => {
    const body = Readable.from([Buffer.alloc(1000), Buffer.alloc(2345)]);
    const res = await request(`${gw.url}/shop/v1/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    expect(await res.body.json()).toEqual({ bytes: 3345 });
    expect((await gw.recorder.find(String(res.headers['x-request-id']))).bytesIn).toBe(3345);
  });

  it('downloads 50 MB without buffering it', async () => {
    const mem = sampler();
    const res = await request(`${gw.url}/shop/v1/download?bytes=${SIZE}`, { headers: { authorization: `Bearer ${token}` } });
    let received = 0;
    for await (const c of res.body) received += (c as Buffer).length;
    const growth = mem.stop();
    expect(received).toBe(SIZE);
    expect(growth).toBeLessThan(10 * 1024 * 1024);
    expect((await gw.recorder.find(String(res.headers['x-request-id']))).bytesOut).toBe(SIZE);
  });
});

describe('request body limit', () => {
  const LIMIT = 4096;
  let small: string;

  beforeAll(async () => {
    const api = await fx.ordersApi([upstream.url], '/small/v1', { maxRequestBodyBytes: LIMIT });
    ({ token: small } = await grant(api.collectionId));
    await gw.holder.refresh();
  });

  it('refuses a declared length over the limit with 413 before anything reaches the upstream', async () => {
    const before = upstream.requests;
    const res = await request(`${gw.url}/small/v1/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${small}`, 'content-length': String(LIMIT + 1), 'x-request-id': 'too-big-declared' },
      body: Buffer.alloc(LIMIT + 1),
    });
    const body = (await res.body.json()) as { error: { code: string } };
    expect([res.statusCode, body.error.code]).toEqual([413, 'GATEHOUSE_BODY_TOO_LARGE']);
    expect(upstream.requests).toBe(before);
    const rec = await gw.recorder.find('too-big-declared');
    expect([rec.status, rec.errorCode, rec.upstreamLatencyMs]).toEqual([413, 'GATEHOUSE_BODY_TOO_LARGE', null]);
  });

  it('passes a body of exactly the limit, declared or chunked', async () => {
    const declared = await request(`${gw.url}/small/v1/upload`, { method: 'POST', headers: { authorization: `Bearer ${small}` }, body: Buffer.alloc(LIMIT) });
    expect(await declared.body.json()).toEqual({ bytes: LIMIT });
    const chunked = await request(`${gw.url}/small/v1/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${small}` },
      body: Readable.from([Buffer.alloc(LIMIT - 1000), Buffer.alloc(1000)]),
    });
    expect(await chunked.body.json()).toEqual({ bytes: LIMIT });
  });

  it('cuts a chunked body off with 413 once it passes the limit, and hangs up on a caller that keeps sending', async () => {
    const exchange = rawConnection(
      gw.url,
      `POST /small/v1/upload HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${small}\r\nX-Request-Id: too-big-chunked\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const chunk = Buffer.alloc(1024, 0x61);
    // Far more than the limit, sent while the gateway is already streaming the start of it upstream.
    for (let i = 0; i < 64 && !exchange.socket.destroyed; i++) {
      exchange.socket.write(`${chunk.length.toString(16)}\r\n`);
      exchange.socket.write(chunk);
      exchange.socket.write('\r\n');
      await new Promise((r) => setImmediate(r));
    }
    const received = await exchange.until(/"GATEHOUSE_BODY_TOO_LARGE"/);
    // The caller never ends its body: after reading and discarding it for a while, the gateway hangs up.
    await exchange.closed;
    expect(received.startsWith('HTTP/1.1 413')).toBe(true);
    const rec = await gw.recorder.find('too-big-chunked');
    expect([rec.status, rec.errorCode]).toEqual([413, 'GATEHOUSE_BODY_TOO_LARGE']);
    expect(rec.bytesIn).toBeGreaterThan(LIMIT);
    // The proxy and its upstream are fine for the next calls.
    for (let i = 0; i < 4; i++) expect((await get('/small/v1/orders', small)).status).toBe(200);
  });

  it('answers Expect: 100-continue with a refusal before the body is sent, and with 100 Continue when the call may go on', async () => {
    const headers = (t: string, length: number) => `Host: gw\r\nAuthorization: Bearer ${t}\r\nExpect: 100-continue\r\nContent-Length: ${length}\r\n\r\n`;
    const tooBig = rawConnection(gw.url, `POST /small/v1/upload HTTP/1.1\r\n${headers(small, 10_000_000)}`);
    await tooBig.closed;
    expect(tooBig.received()).toMatch(/^HTTP\/1\.1 413 [\s\S]*"GATEHOUSE_BODY_TOO_LARGE"/);
    expect(tooBig.received()).not.toContain('100 Continue');

    const badToken = rawConnection(gw.url, `POST /small/v1/upload HTTP/1.1\r\n${headers('ghk_not-a-token', 10)}`);
    await badToken.closed;
    expect(badToken.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(badToken.received()).not.toContain('100 Continue');

    const allowed = rawConnection(gw.url, `POST /small/v1/upload HTTP/1.1\r\n${headers(small, 10)}`);
    expect(await allowed.until(/100 Continue\r\n\r\n/)).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    allowed.socket.write('0123456789');
    expect(await allowed.until(/"bytes":10/)).toMatch(/HTTP\/1\.1 200 [\s\S]*\{"bytes":10\}/);
    allowed.socket.destroy();
  });
});

describe('response framing', () => {
  it('passes a chunked response on as each chunk arrives, not when it ends', async () => {
    const res = await request(`${gw.url}/shop/v1/events?count=3&ms=150`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['content-length']).toBeUndefined();
    const arrivals: Array<{ text: string; at: number }> = [];
    const start = Date.now();
    for await (const c of res.body) arrivals.push({ text: (c as Buffer).toString(), at: Date.now() - start });
    expect(arrivals.map((a) => a.text).join('')).toBe('data: event 0\n\ndata: event 1\n\ndata: event 2\n\n');
    // The first event reached the caller well before the upstream wrote the last one (~300 ms later).
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeGreaterThan(150);
    const entry = await gw.recorder.find(String(res.headers['x-request-id']));
    expect(entry).toMatchObject({ status: 200, bytesOut: 45 });
  });

  it('ends a response of declared length with its last bytes, body and request log intact', async () => {
    for (const bytes of [1, 1024, 65_537, 300_000]) {
      const res = await request(`${gw.url}/shop/v1/download?bytes=${bytes}`, { headers: { authorization: `Bearer ${token}` } });
      const body = Buffer.from(await res.body.arrayBuffer());
      expect([res.statusCode, res.headers['content-length'], body.length]).toEqual([200, String(bytes), bytes]);
      expect(body.every((b) => b === body[0])).toBe(true);
      expect((await gw.recorder.find(String(res.headers['x-request-id']))).bytesOut).toBe(bytes);
    }
    const head = await request(`${gw.url}/shop/v1/orders/1`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect((await head.body.arrayBuffer()).byteLength).toBe(0);
    // The keep-alive connection is still good for the next call.
    expect((await get('/shop/v1/orders')).status).toBe(200);
  });
});

describe('callers that go away', () => {
  /** GETs `path` with the token, reading the whole response: its status, the bytes that came and how the body ended (null: it ended cleanly). */
  const readAll = (path: string, requestId: string) =>
    new Promise<{ status: number; bytes: number; error: string | null }>((resolve) => {
      const req = httpRequest(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId }, agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
        });
        res.on('error', (err) => resolve({ status: res.statusCode ?? 0, bytes, error: err.message }));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, error: null }));
      });
      req.on('error', (err) => resolve({ status: 0, bytes: 0, error: err.message }));
      req.end();
    });

  it('survives a caller disconnecting before and during the response', async () => {
    const early = httpRequest(`${gw.url}/shop/v1/slow?ms=100`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'gone-early' }, agent: false });
    early.on('error', () => {});
    early.end();
    setTimeout(() => early.destroy(), 20);
    const mid = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${gw.url}/shop/v1/download?bytes=${20 * 1024 * 1024}`,
        { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'gone-mid' }, agent: false },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(mid).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await get('/shop/v1/orders')).status).toBe(200);
    // Both are logged as the caller going away (499), the one mid-body too, not as a 200.
    expect((await gw.recorder.find('gone-early')).status).toBe(499);
    const midEntry = await gw.recorder.find('gone-mid');
    expect(midEntry.status).toBe(499);
    expect(midEntry.bytesOut).toBeLessThan(20 * 1024 * 1024);
  });

  it('cuts the caller off and logs the failure when the upstream body breaks off mid-stream', async () => {
    const outcome = await readAll('/shop/v1/broken', 'broken-body');
    // The head had gone out; the body cannot be completed, so the connection is cut rather than ended.
    expect(outcome.status).toBe(200);
    expect(outcome.bytes).toBeLessThan(1000);
    expect(outcome.error).not.toBeNull();
    const entry = await gw.recorder.find('broken-body');
    expect(entry.status).toBe(200);
    expect(entry.errorCode).toBe('GATEHOUSE_UPSTREAM_UNREACHABLE');
  });

  it('cuts the caller off and logs a timeout when the upstream body stalls for the response timeout', async () => {
    const started = performance.now();
    const outcome = await readAll('/shop/v1/stall', 'stalled-body');
    expect(outcome).toMatchObject({ status: 200, bytes: 100 });
    expect(outcome.error).not.toBeNull();
    // responseMs is 300: the body's silence is timed, not the whole exchange.
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    const entry = await gw.recorder.find('stalled-body');
    expect([entry.status, entry.errorCode]).toEqual([200, 'GATEHOUSE_UPSTREAM_TIMEOUT']);
  });

  it('lets the caller finish an upload the upstream refused before reading it, and keeps the connection', async () => {
    // A raw socket, so the test sees exactly what the caller's connection does: the whole upload,
    // then a second request on the same connection.
    const size = 16 * 1024 * 1024;
    const auth = `Authorization: Bearer ${token}\r\nHost: gw\r\n`;
    const conn = rawConnection(
      gw.url,
      `POST /shop/v1/refuse-upload HTTP/1.1\r\n${auth}Content-Type: application/octet-stream\r\nContent-Length: ${size}\r\n\r\n`,
    );
    const socket = conn.socket;
    const chunk = Buffer.alloc(256 * 1024, 0x62);
    for (let sent = 0; sent < size; sent += chunk.length) {
      if (!socket.write(chunk)) await once(socket, 'drain');
    }
    socket.write(`GET /shop/v1/orders HTTP/1.1\r\n${auth}\r\n`);
    const received = await conn.until(/HTTP\/1\.1 200[\s\S]*"item":"pen"/, 10_000);
    socket.destroy();
    expect(received.startsWith('HTTP/1.1 413')).toBe(true);
    expect(received).toContain('{"message":"too large"}');
    // The upload was read to its end and the connection answered the next call.
    expect(received).toMatch(/HTTP\/1\.1 200[\s\S]*"item":"pen"/);
  }, 20_000);
});
