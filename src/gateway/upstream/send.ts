import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { type ErrorCode, GatehouseError } from '../../core/index.js';
import { withQueryCredential } from '../credentials/apply.js';
import type { CallContext } from '../pipeline/context.js';
import { startUpstreamSpan } from '../pipeline/trace.js';
import type { OutgoingHeaders } from '../net/header-map.js';
import type { UpstreamSet, RestTarget } from './targets.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

interface Failure {
  code: ErrorCode;
  /** The connection failed, so the request never reached the application: safe to try elsewhere. */
  connection: boolean;
  /** Counts against the target's health. */
  unhealthy: boolean;
}

// OpenSSL's verification failures (the upstream's certificate) as Node names them.
const CERTIFICATE_FAILURES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
]);

function classify(err: unknown): Failure {
  // The gateway's own refusal mid-exchange (an oversized body cut off): not the upstream's doing.
  if (err instanceof GatehouseError) return { code: err.code, connection: false, unhealthy: false };
  const code = (err as { code?: string }).code ?? '';
  // A certificate either side refuses is a configuration problem, not a failing target: no retry, no health penalty.
  if (CERTIFICATE_FAILURES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
    return { code: 'GATEHOUSE_UPSTREAM_TLS_FAILED', connection: false, unhealthy: false };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { code: 'GATEHOUSE_UPSTREAM_TIMEOUT', connection: true, unhealthy: true };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { code: 'GATEHOUSE_UPSTREAM_TIMEOUT', connection: false, unhealthy: true };
  if (CONNECT_FAILURES.has(code)) return { code: 'GATEHOUSE_UPSTREAM_UNREACHABLE', connection: true, unhealthy: true };
  return { code: 'GATEHOUSE_UPSTREAM_UNREACHABLE', connection: false, unhealthy: false };
}

/** The error code for an upstream exchange that failed after the response began (logged; the caller's connection is cut). */
export function streamFailureCode(err: unknown): ErrorCode {
  return classify(err).code;
}

/** How many targets a call may try: idempotent calls whose body can be replayed move on after connection failures. */
export function attemptsFor(ctx: CallContext, body: Readable | Buffer | null): number {
  const replayable = body === null || Buffer.isBuffer(body);
  return replayable && IDEMPOTENT.has(ctx.method) ? ctx.proxy!.proxy.retries + 1 : 1;
}

/**
 * The undici request for one attempt of a call on `target`. With `ownTimeout` the caller enforces
 * the proxy's response timeout itself (a DeadlineSweeper) and undici sets no timers of its own.
 */
export function upstreamRequest(
  target: RestTarget,
  ctx: CallContext,
  headers: OutgoingHeaders,
  body: Readable | Buffer | null,
  ownTimeout = false,
): Dispatcher.DispatchOptions {
  const x = ctx.exchange;
  // A workflow may have rewritten the path or the query.
  const path = target.basePath + (x === null ? ctx.rest : x.rest);
  const timeout = ownTimeout ? 0 : ctx.proxy!.proxy.timeouts.responseMs;
  return {
    path: (path === '' ? '/' : path) + withQueryCredential(x === null ? ctx.query : x.query, ctx.backendAuth),
    method: ctx.method as Dispatcher.HttpMethod,
    headers,
    body,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  };
}

/**
 * After attempt `attempt` of `attempts` failed on `target`: counts it against the target's health
 * when it should, and returns null when the call may move on to the next target, else the error
 * to answer with.
 */
export function afterFailure(target: RestTarget, err: unknown, attempt: number, attempts: number): GatehouseError | null {
  const failure = classify(err);
  if (failure.unhealthy) target.health.failed(Date.now());
  if (failure.connection && attempt < attempts) return null;
  // Under TLS 1.3 a server refuses a client certificate after the client's side of the handshake is
  // done, so its alert is lost and the gateway sees only a closed connection: say what it likely means.
  if (target.clientCertificate && (err as { code?: string }).code === 'UND_ERR_SOCKET') {
    return new GatehouseError(failure.code, 'The upstream closed the connection; it may have refused the gateway’s client certificate.');
  }
  return new GatehouseError(failure.code);
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
  signal: AbortSignal | null = null,
): Promise<Dispatcher.ResponseData> {
  const attempts = attemptsFor(ctx, body);
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const target = set.pick(Date.now());
    const span = ctx.span === null ? null : startUpstreamSpan(ctx, target, headers, attempt);
    try {
      const options: Dispatcher.RequestOptions = upstreamRequest(target, ctx, headers, body);
      if (signal !== null) options.signal = signal;
      const res = await target.pool.request(options);
      span?.end({ status: res.statusCode });
      target.health.succeeded();
      ctx.upstreamMs = performance.now() - started;
      return res;
    } catch (err) {
      span?.end({ error: signal?.aborted ? abortError(signal).code : classify(err).code });
      // Cancelled by the caller: not the target's fault, and not worth another target.
      if (signal?.aborted) throw abortError(signal);
      const failure = afterFailure(target, err, attempt, attempts);
      if (failure === null) continue;
      ctx.upstreamMs = performance.now() - started;
      throw failure;
    }
  }
}

/** The error a cancelled call ends with: the reason given to the signal, a timeout, or a plain cancellation. */
export function abortError(signal: AbortSignal): GatehouseError {
  const reason: unknown = signal.reason;
  if (reason instanceof GatehouseError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT');
  return new GatehouseError('GATEHOUSE_CALL_CANCELLED');
}
