import { util as undiciUtil } from 'undici';
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../pipeline/context.js';
import { callerResponseHeaders, callerResponseHeadersRaw, upstreamRequestHeaders } from './headers.js';

const ctx = { requestId: 'req-1' } as CallContext;

function raw(...pairs: string[]): Buffer[] {
  return pairs.map((p) => Buffer.from(p, 'latin1'));
}

describe('caller response headers from raw upstream headers', () => {
  it('lower-cases names, strips hop-by-hop and connection-named headers, sets X-Request-Id', () => {
    const out = callerResponseHeadersRaw(
      raw(
        'Content-Type',
        'application/json',
        'Connection',
        'x-secret, keep-alive',
        'X-Secret',
        's',
        'Keep-Alive',
        'timeout=5',
        'Transfer-Encoding',
        'chunked',
        'X-Request-Id',
        'theirs',
      ),
      ctx,
      null,
      0,
    );
    expect(out).toEqual({ 'content-type': 'application/json', 'x-request-id': 'req-1' });
  });

  it('keeps repeated headers as lists, including names that shadow Object.prototype', () => {
    const out = callerResponseHeadersRaw(
      raw('Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Set-Cookie', 'c=3', 'Constructor', 'x', '__proto__', 'y'),
      ctx,
      null,
      0,
    );
    expect(out['set-cookie']).toEqual(['a=1', 'b=2', 'c=3']);
    expect(out.constructor).toBe('x');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('the parsed-headers variant drops a repeated __proto__ header rather than setting the prototype', () => {
    const out = callerResponseHeaders(undiciUtil.parseHeaders(raw('ETag', '"1"', '__proto__', 'y', '__proto__', 'z')), ctx, null, 0);
    expect(out.etag).toBe('"1"');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('agrees with the parsed-headers variant, RateLimit-* included', () => {
    const limit = { allowed: true, degraded: false, limit: 10, remaining: 9, resetAt: 61_000 } as never;
    const fromRaw = callerResponseHeadersRaw(raw('ETag', '"1"', 'Vary', 'a', 'Vary', 'b'), ctx, limit, 1_000);
    const parsed = callerResponseHeaders({ etag: '"1"', vary: ['a', 'b'] } as never, ctx, limit, 1_000);
    expect(fromRaw).toEqual(parsed);
    expect(fromRaw['ratelimit-remaining']).toBe('9');
  });
});

describe('upstream request headers', () => {
  const from = (headers: Record<string, string>) =>
    ({ requestId: 'req-1', headers, peerIp: '10.9.9.9', ip: '203.0.113.5', secure: false, credentialHeader: null }) as unknown as CallContext;
  const claims = {
    host: 'api.example.com',
    'x-forwarded-for': '203.0.113.5',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'public.example.com',
    forwarded: 'for=203.0.113.5;proto=https',
    'x-real-ip': '203.0.113.5',
    'x-forwarded-port': '443',
    'x-forwarded-prefix': '/api',
    accept: 'application/json',
  };

  it('from a trusted proxy: keeps its forwarding headers and appends the peer to X-Forwarded-For', () => {
    const out = upstreamRequestHeaders(from(claims), true, false);
    expect(out['x-forwarded-for']).toBe('203.0.113.5, 10.9.9.9');
    expect(out['x-forwarded-proto']).toBe('https');
    expect(out['x-forwarded-host']).toBe('public.example.com');
    expect(out.forwarded).toBe('for=203.0.113.5;proto=https');
    expect(out['x-real-ip']).toBe('203.0.113.5');
    expect(out['x-forwarded-prefix']).toBe('/api');
  });

  it('from any other peer: drops every address and scheme the caller claims', () => {
    const out = upstreamRequestHeaders(from(claims), false, false);
    expect(out['x-forwarded-for']).toBe('10.9.9.9');
    expect(out['x-forwarded-proto']).toBe('http');
    expect(out['x-forwarded-host']).toBe('api.example.com');
    for (const h of ['forwarded', 'x-real-ip', 'x-forwarded-port', 'x-forwarded-prefix']) expect(out[h]).toBeUndefined();
    expect(out.accept).toBe('application/json');
    expect(out['x-request-id']).toBe('req-1');
  });
});
