import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { type ErrorCode, GatehouseError } from '../../core/index.js';
import type { CallContext } from '../pipeline/context.js';
import type { OutgoingHeaders } from './headers.js';
import type { UpstreamSet } from './targets.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

interface Failure {
  code: ErrorCode;
  /** The connection failed, so the request never reached the application: safe to try elsewhere. */
  connection: boolean;
  /** Counts against the target's health. */
  unhealthy: boolean;
}

function classify(err: unknown): Failure {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { code: 'GATEHOUSE_UPSTREAM_TIMEOUT', connection: true, unhealthy: true };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { code: 'GATEHOUSE_UPSTREAM_TIMEOUT', connection: false, unhealthy: true };
  if (CONNECT_FAILURES.has(code)) return { code: 'GATEHOUSE_UPSTREAM_UNREACHABLE', connection: true, unhealthy: true };
  return { code: 'GATEHOUSE_UPSTREAM_UNREACHABLE', connection: false, unhealthy: false };
}

/**
 * upstream: sends the call to the next healthy target and resolves at the response headers.
 * Idempotent calls whose body can be replayed move to the next target on connection failures.
 */
export async function sendUpstream(
  ctx: CallContext,
  set: UpstreamSet,
  headers: OutgoingHeaders,
  body: Readable | Buffer | null,
): Promise<Dispatcher.ResponseData> {
  const { timeouts, retries } = ctx.proxy!.proxy;
  const replayable = body === null || Buffer.isBuffer(body);
  const attempts = replayable && IDEMPOTENT.has(ctx.method) ? retries + 1 : 1;
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const target = set.pick(Date.now());
    const path = target.basePath + ctx.rest;
    try {
      const res = await target.pool.request({
        path: (path === '' ? '/' : path) + ctx.query,
        method: ctx.method as Dispatcher.HttpMethod,
        headers,
        body,
        headersTimeout: timeouts.responseMs,
        bodyTimeout: timeouts.responseMs,
      });
      target.health.succeeded();
      ctx.upstreamMs = performance.now() - started;
      return res;
    } catch (err) {
      const failure = classify(err);
      if (failure.unhealthy) target.health.failed(Date.now());
      if (failure.connection && attempt < attempts) continue;
      ctx.upstreamMs = performance.now() - started;
      throw new GatehouseError(failure.code);
    }
  }
}
