import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { type ErrorCode, ERRORS, GatehouseError, type Job } from '../core/index.js';
import type { Operation, StreamOperation } from '../management/operation.js';
import type { LocalPlane } from '../node/local.js';
import type { RemoteTarget } from './remote/session.js';

/** How a CLI command reaches the management plane: the admin API of a gateway, or the local data directory. */
export interface Transport {
  /** Runs an operation; `dryRun` returns the planned change without writing. */
  run(op: Operation, input: Record<string, unknown>, opts?: { dryRun?: boolean }): Promise<unknown>;
  /**
   * Runs an operation that may run as a job (`op.job`) as one: the job, or, when it finished
   * within `waitSeconds` (or the gateway predates jobs, or the plane is local), its result.
   */
  start(op: Operation, input: Record<string, unknown>, waitSeconds: number): Promise<{ job: Job } | { result: unknown }>;
  /** Opens a streamed read (a log export) as bytes of text. */
  stream(op: StreamOperation, input: Record<string, unknown>): Promise<Readable>;
  close(): Promise<void>;
}

/** Turns an admin API error body back into the error it was, code and details included. */
function errorFrom(status: number, body: unknown): GatehouseError {
  const e = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const code = e?.code && e.code in ERRORS ? (e.code as ErrorCode) : status >= 500 ? 'GATEHOUSE_INTERNAL' : 'GATEHOUSE_BAD_REQUEST';
  return new GatehouseError(code, e?.message ?? `The gateway answered ${status}.`, e?.details);
}

/** Splits an operation's input over its HTTP binding: path parameters, then query string or JSON body. */
export function httpRequestOf(
  op: Pick<Operation, 'http'>,
  input: Record<string, unknown>,
  dryRun: boolean,
): { path: string; query: URLSearchParams; body?: string } {
  const rest = { ...input };
  const path = op.http.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = rest[name];
    delete rest[name];
    if (value === undefined) throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `${name} is required.`, [{ path: name, message: 'required' }]);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  if (dryRun) query.set('dryRun', 'true');
  if (op.http.method === 'GET' || op.http.method === 'DELETE') {
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) query.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    return { path, query };
  }
  return { path, query, body: JSON.stringify(rest) };
}

/** Calls the admin API over HTTP with the target's bearer token. */
export function remoteTransport(target: RemoteTarget): Transport {
  const send = async (method: string, path: string, query: URLSearchParams, body?: string, extra: Record<string, string> = {}): Promise<Response> => {
    const qs = query.size > 0 ? `?${query}` : '';
    return fetch(`${target.api}${path}${qs}`, {
      method,
      headers: {
        authorization: `Bearer ${await target.token()}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...extra,
      },
      ...(body !== undefined ? { body } : {}),
    });
  };
  return {
    async run(op, input, opts) {
      const req = httpRequestOf(op, input, opts?.dryRun === true);
      const res = await send(op.http.method, req.path, req.query, req.body);
      const text = await res.text();
      const body: unknown = text ? JSON.parse(text) : null;
      if (!res.ok) throw errorFrom(res.status, body);
      return body;
    },
    async start(op, input, waitSeconds) {
      const req = httpRequestOf(op, input, false);
      const prefer = waitSeconds > 0 ? `respond-async, wait=${waitSeconds}` : 'respond-async';
      const res = await send(op.http.method, req.path, req.query, req.body, { prefer });
      const text = await res.text();
      const body: unknown = text ? JSON.parse(text) : null;
      if (!res.ok) throw errorFrom(res.status, body);
      // 202: a job to watch; anything else is the answer itself (done in time, or a gateway without jobs).
      return res.status === 202 ? { job: body as Job } : { result: body };
    },
    async stream(op, input) {
      const req = httpRequestOf(op, input, false);
      const res = await send('GET', req.path, req.query);
      if (!res.ok || !res.body) throw errorFrom(res.status, await res.json().catch(() => null));
      return Readable.fromWeb(res.body as ReadableStream);
    },
    close: async () => {},
  };
}

/** Runs operations on the local plane (the data directory): a local admin, audited on channel `cli`. */
export function localTransport(plane: LocalPlane): Transport {
  return {
    run: (op, input, opts) => plane.executor.dispatch(op.name, input, { ...plane.call, ...(opts?.dryRun ? { dryRun: true } : {}) }),
    // A job of the local plane would end with this process: it runs directly.
    start: async (op, input) => ({ result: await plane.executor.dispatch(op.name, input, plane.call) }),
    stream: async (op, input) => Readable.from((await plane.executor.stream(op.name, input, plane.call)).chunks),
    close: () => plane.close(),
  };
}
