import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundError } from './outbound-error.js';
import { type StreamingFetchOptions, streamingFetch } from './streaming-fetch.js';
import type { Resolve } from './vetting-lookup.js';

let server: Server;
let port: number;
const hits: string[] = [];

/** Lets /events go on past its first event: called once the test has read that event. */
let firstEventRead: () => void = () => undefined;

const event = (n: number, size = 10) => `id: ${n}\ndata: ${'x'.repeat(size)}\n\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: 'y'.repeat(100) }));
    if (req.url === '/big-json') return res.writeHead(200, { 'content-type': 'application/json' }).end(`"${'y'.repeat(5_000)}"`);
    if (req.url === '/events') {
      // Ten events of 500 bytes each (5 KB in all): the first at once, the rest, 20 ms apart, only once
      // the test has read the first (a fetch that waited for the end would never hand it over).
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const tick = () => {
        res.write(event(n, 500));
        if (++n === 10) return res.end();
        setTimeout(tick, 20);
      };
      res.write(event(n++, 500));
      firstEventRead = () => setTimeout(tick, 20);
      return;
    }
    if (req.url === '/big-event') {
      // One event sent in pieces, with no empty line between them.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event(0));
      res.write('data: ');
      for (let i = 0; i < 6; i++) res.write('z'.repeat(500));
      return res.end('\n\n');
    }
    if (req.url === '/stalls') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event(0));
      return setTimeout(() => res.end(event(1)), 2_000).unref();
    }
    if (req.url === '/no-headers') return setTimeout(() => res.end('late'), 2_000).unref();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const options = (opts: Partial<StreamingFetchOptions> = {}): StreamingFetchOptions => ({
  allowPrivateNetworks: true,
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 1_000,
  idleTimeoutMs: 300,
  maxMessageBytes: 1_024,
  ...opts,
});

/** A DNS stand-in: every name answers these addresses. */
const answering =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

/** The OutboundError a rejection or a failed stream carries. */
function outboundOf(err: unknown): OutboundError {
  const found = err instanceof OutboundError ? err : (err as { cause?: unknown }).cause;
  expect(found).toBeInstanceOf(OutboundError);
  return found as OutboundError;
}

describe('the streaming fetch', () => {
  it('refuses a name whose lookup rebinds to a private address, and a private literal, unless private networks are allowed', async () => {
    const guarded = streamingFetch(options({ allowPrivateNetworks: false, resolve: answering('127.0.0.1') }));
    const before = hits.length;
    try {
      for (const url of [`http://rebound.example:${port}/json`, `http://127.0.0.1:${port}/json`, `http://localhost:${port}/json`]) {
        const err = await guarded(url).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(TypeError);
        expect(outboundOf(err).reason).toBe('refused');
      }
      expect(hits.length).toBe(before);
    } finally {
      await guarded.close();
    }
    const open = streamingFetch(options({ resolve: answering('127.0.0.1') }));
    try {
      const res = await open(`http://rebound.example:${port}/json`);
      expect(JSON.parse(await res.text())).toEqual({ ok: 'y'.repeat(100) });
    } finally {
      await open.close();
    }
  });

  it('streams an event stream longer than the cap, each event within it, as it arrives', async () => {
    const send = streamingFetch(options());
    try {
      const res = await send(`http://127.0.0.1:${port}/events`);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.getReader();
      // The first event reaches the reader before the stream goes on (the server waits for it).
      const first = await reader.read();
      firstEventRead();
      let text = new TextDecoder().decode(first.value);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toBe(Array.from({ length: 10 }, (_, n) => event(n, 500)).join(''));
    } finally {
      await send.close();
    }
  });

  it('fails a stream once one event outgrows the cap', async () => {
    const send = streamingFetch(options());
    try {
      const res = await send(`http://127.0.0.1:${port}/big-event`);
      const err = await res.text().then(
        () => null,
        (e: unknown) => e,
      );
      expect(outboundOf(err).reason).toBe('too-large');
    } finally {
      await send.close();
    }
  });

  it('caps a JSON answer as a whole', async () => {
    const send = streamingFetch(options());
    try {
      const res = await send(`http://127.0.0.1:${port}/big-json`);
      const err = await res.json().then(
        () => null,
        (e: unknown) => e,
      );
      expect(outboundOf(err).reason).toBe('too-large');
    } finally {
      await send.close();
    }
  });

  it('fails a stream that stays silent longer than the idle timeout, and a request whose headers do not come', async () => {
    const send = streamingFetch(options());
    try {
      const res = await send(`http://127.0.0.1:${port}/stalls`);
      const err = await res.text().then(
        () => null,
        (e: unknown) => e,
      );
      expect(outboundOf(err).reason).toBe('timeout');
      const late = await send(`http://127.0.0.1:${port}/no-headers`).then(
        () => null,
        (e: unknown) => e,
      );
      expect(outboundOf(late)).toMatchObject({ reason: 'timeout', message: expect.stringContaining('did not answer within 1000 ms') });
    } finally {
      await send.close();
    }
  });

  it("rejects with the caller's own abort reason", async () => {
    const send = streamingFetch(options());
    try {
      const reason = new Error('caller gave up');
      const err = await send(`http://127.0.0.1:${port}/no-headers`, { signal: AbortSignal.any([AbortSignal.timeout(50)]) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as Error).name).toBe('TimeoutError');
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 50);
      await expect(send(`http://127.0.0.1:${port}/no-headers`, { signal: controller.signal })).rejects.toBe(reason);
    } finally {
      await send.close();
    }
  });
});
