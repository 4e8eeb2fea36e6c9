import type { FetchLike } from '@modelcontextprotocol/client';
import type { DynamicHeaders } from '../../core/index.js';
import { upstreamFetchFor } from './guarded-fetch.js';
import type { Entry } from './upstream-entry.js';

/**
 * A fetch that sends a request's trace context (`_meta.traceparent` of the JSON-RPC message it
 * carries) as W3C headers too: a pooled session is shared by many calls, so the context cannot
 * live in the transport's fixed headers, and the message is what knows which call it is.
 */
export function withTraceHeaders(send: FetchLike): FetchLike {
  return (url, init) => {
    const body = init?.body;
    if (typeof body !== 'string' || !body.includes('"traceparent"')) return send(url, init);
    let meta: { traceparent?: unknown; tracestate?: unknown } | undefined;
    try {
      meta = (JSON.parse(body) as { params?: { _meta?: typeof meta } }).params?._meta;
    } catch {
      return send(url, init);
    }
    if (typeof meta?.traceparent !== 'string') return send(url, init);
    const headers = new Headers(init?.headers);
    headers.set('traceparent', meta.traceparent);
    if (typeof meta.tracestate === 'string') headers.set('tracestate', meta.tracestate);
    return send(url, { ...init, headers });
  };
}

/**
 * A fetch that adds headers obtained per request (a cached OAuth token) and remembers their values
 * for scrubbing. A 401 forgets the token and the request is sent once more with a new one.
 */
export function withDynamicHeaders(get: () => Promise<DynamicHeaders>, entry: Entry): FetchLike {
  const send = async (url: string | URL, init: RequestInit | undefined) => {
    const dynamic = await get();
    // The bare token too: an upstream may echo it without its scheme.
    entry.sent = Object.values(dynamic.headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, '')]);
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(dynamic.headers)) headers.set(name, value);
    const res = await upstreamFetchFor(entry.target)(url, { ...init, headers });
    if (res.status === 401) dynamic.refused();
    return res;
  };
  return async (url, init) => {
    const first = await send(url, init);
    if (first.status !== 401) return first;
    await first.body?.cancel();
    return send(url, init);
  };
}
