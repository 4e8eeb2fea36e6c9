import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { LimitDecision } from '../limits/limiter.js';
import { writeRawResponseHead } from './response-head.js';

function raw(...pairs: string[]): Buffer[] {
  return pairs.map((p) => Buffer.from(p, 'latin1'));
}

/** What a caller receives when a real node:http response's head is written by `write` and its body is `body`. */
async function receive(write: (res: ServerResponse) => number | null, body = 'ok'): Promise<{ written: number | null; res: IncomingMessage; text: string }> {
  let written: number | null = null;
  const server = createServer((_req, res) => {
    written = write(res);
    if (written === null) res.writeHead(500);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await new Promise<IncomingMessage>((resolve, reject) => get(`http://127.0.0.1:${port}/`, { agent: false }, resolve).on('error', reject));
    const parts: Buffer[] = [];
    for await (const chunk of res) parts.push(chunk as Buffer);
    return { written, res, text: Buffer.concat(parts).toString() };
  } finally {
    server.close();
  }
}

const limit = { allowed: true, degraded: false, limit: 10, remaining: 9, resetAt: 61_000 } as LimitDecision;

describe('writeRawResponseHead', () => {
  it('forwards the upstream lines as received, minus hop-by-hop, with the call’s RateLimit-* and X-Request-Id over the upstream’s', async () => {
    const { written, res, text } = await receive((r) =>
      writeRawResponseHead(
        r,
        201,
        raw(
          'Content-Type',
          'application/json',
          'Connection',
          'keep-alive',
          'Keep-Alive',
          'timeout=5',
          'Transfer-Encoding',
          'chunked',
          'Set-Cookie',
          'a=1',
          'Set-Cookie',
          'b=2',
          'X-Request-Id',
          'theirs',
          'RateLimit-Remaining',
          '1000',
          'Date',
          'Tue, 01 Jan 2030 00:00:00 GMT',
          'Content-Length',
          '2',
        ),
        'req-1',
        limit,
        1_000,
      ),
    );
    expect(written).toBe(2);
    expect(res.statusCode).toBe(201);
    expect(text).toBe('ok');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.headers['ratelimit-limit']).toBe('10');
    expect(res.headers['ratelimit-remaining']).toBe('9');
    expect(res.headers['ratelimit-reset']).toBe('60');
    // The upstream's Date stands (node:http adds none of its own); its Keep-Alive does not reach the caller.
    expect(res.rawHeaders.filter((h) => h.toLowerCase() === 'date')).toHaveLength(1);
    expect(res.headers.date).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    expect(res.headers['keep-alive']).not.toBe('timeout=5');
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });

  it('frames a body of undeclared length itself, and keeps the upstream’s RateLimit-* when the call has no limit', async () => {
    const { written, res, text } = await receive(
      (r) => writeRawResponseHead(r, 200, raw('RateLimit-Limit', '5', 'Transfer-Encoding', 'chunked'), 'req-2', null, 0),
      'streamed',
    );
    expect(written).toBe(-1);
    expect(text).toBe('streamed');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['ratelimit-limit']).toBe('5');
    expect(res.headers.date).toBeDefined();
  });

  it('writes nothing when Connection names a header to drop, so the caller builds the head as a map', async () => {
    const { written, res } = await receive((r) => writeRawResponseHead(r, 200, raw('X-Secret', 's', 'Connection', 'x-secret'), 'req-3', null, 0));
    expect(written).toBeNull();
    expect(res.statusCode).toBe(500);
    expect(res.headers['x-secret']).toBeUndefined();
  });
});
