import { type Endpoint, GatehouseError, type WorkflowInput } from '../../core/index.js';
import { compileContract } from '../catalog/contract.js';
import { createMemoryLimiter } from '../limits/memory.js';
import type { OutgoingHeaders } from '../net/header-map.js';
import { createMemoryCache } from './cache/memory-cache.js';
import type { CallerView } from './call-view.js';
import { compileWorkflow, type WorkflowProblem } from './compile.js';
import { Exchange, type TraceEntry } from './exchange.js';
import { finalResponse } from './responses.js';
import { runNodes } from './run.js';
import type { WorkflowServices } from './step.js';

/** A sample call for a dry run: what a caller would send, and who it would be. */
export interface SampleCall {
  method: string;
  /** The path below the proxy's base path, with an optional query (`/orders/42?expand=items`). */
  path: string;
  headers?: Record<string, string>;
  /** The body as text (JSON is the usual). */
  body?: string;
  caller?: {
    clientId?: string;
    clientName?: string;
    profileId?: string;
    profileName?: string;
    authType?: string;
    claims?: Record<string, unknown>;
    ip?: string;
  };
}

/** What the upstream answers in a dry run; without one the run stops where the upstream would be called. */
export interface SampleResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A dry run's outcome: every node's trace, the request the upstream would get, and the response the caller would. */
export interface DryRun {
  trace: TraceEntry[];
  decisions: string[];
  /** The upstream request, or null when the workflow answered (mock, cache) or refused the call. */
  upstreamRequest: { method: string; path: string; headers: Record<string, string>; body: string | null; route: string | null } | null;
  response: { status: number; headers: OutgoingHeaders; body: string } | null;
  error: { code: string; message: string; node: string | null; details?: unknown } | null;
}

/** A dry run's endpoint: its document and the proxy base path it sits under. */
export interface SampleEndpoint {
  doc: Endpoint;
  basePath: string;
}

function sandbox(endpoint: SampleEndpoint | null): WorkflowServices {
  // Nothing a dry run does may touch real counters, caches or upstreams.
  const contract = endpoint ? compileContract(endpoint.doc) : undefined;
  return {
    limiter: createMemoryLimiter(),
    cache: createMemoryCache(8 * 1_048_576),
    upstreams: null,
    connectMs: 5_000,
    tlsFor: () => null,
    backendCredential: null,
    contract: (id) => (endpoint && id === endpoint.doc.id ? contract : undefined),
  };
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function flat(headers: OutgoingHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
}

/**
 * Runs a workflow on a sample call without side effects (its own limiter and cache, no upstream
 * call) and reports what every node decided and changed. Refused with the problems when the
 * workflow does not compile.
 */
export async function dryRunWorkflow(
  definition: WorkflowInput,
  sample: SampleCall,
  upstream: SampleResponse | null,
  endpoint: SampleEndpoint | null,
): Promise<DryRun> {
  const compiled = compileWorkflow(definition, { id: 'dry-run', version: 0 }, sandbox(endpoint));
  if ('problems' in compiled) throw workflowInvalid(compiled.problems);
  const q = sample.path.indexOf('?');
  const rest = q === -1 ? sample.path : sample.path.slice(0, q);
  const headers = lower(sample.headers);
  const c = sample.caller;
  const caller: CallerView | null = c?.profileId
    ? { client: { id: c.clientId ?? '', name: c.clientName ?? '' }, profile: { id: c.profileId, name: c.profileName ?? '', authType: c.authType ?? 'token' } }
    : null;
  const x = new Exchange({
    requestId: 'dry-run',
    startedAt: Date.now(),
    method: sample.method.toUpperCase(),
    path: (endpoint?.basePath ?? '') + rest,
    rest,
    query: q === -1 ? '' : sample.path.slice(q),
    headers,
    credentialHeader: null,
    endpoint: endpoint ? { id: endpoint.doc.id, method: endpoint.doc.method, path: endpoint.doc.path } : null,
    caller,
    claims: c?.claims ?? null,
    ip: c?.ip ?? '127.0.0.1',
    limit: null,
  });
  x.trace = [];
  if (sample.body !== undefined) x.setRequestBody(Buffer.from(sample.body));
  const result: DryRun = { trace: x.trace, decisions: x.decisions, upstreamRequest: null, response: null, error: null };
  try {
    await runNodes(compiled.request, x);
    if (x.answered === null) {
      result.upstreamRequest = {
        method: x.ctx.method,
        path: x.rest + x.query,
        headers: flat(Object.fromEntries(Object.entries(x.requestHeaders).filter((e): e is [string, string | string[]] => e[1] !== undefined))),
        body: x.requestBody?.toString('utf8') ?? null,
        route: x.route?.name ?? null,
      };
      if (upstream === null) return result;
      x.setResponse({ status: upstream.status, headers: lower(upstream.headers), body: Buffer.from(upstream.body ?? '') });
    }
    if (x.answered !== 'cache') {
      x.phase = 'response';
      await runNodes(compiled.response, x);
    }
    const out = finalResponse(x, 'dry-run', null);
    result.response = { status: out.status, headers: out.headers, body: out.body.toString('utf8') };
  } catch (err) {
    const e = err instanceof GatehouseError ? err : new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED');
    result.error = { code: e.code, message: e.message, node: x.failedNode, ...(e.details === undefined ? {} : { details: e.details }) };
  }
  return result;
}

/** The 400 an invalid workflow gets: the first problem in the message, all of them in the details. */
export function workflowInvalid(problems: readonly WorkflowProblem[]): GatehouseError {
  const first = problems[0]!;
  return new GatehouseError(
    'GATEHOUSE_WORKFLOW_INVALID',
    `${first.path}${first.node ? ` (node ${first.node})` : ''}: ${first.message}`,
    problems.map((p) => ({ path: p.path, message: p.message, ...(p.node ? { node: p.node } : {}) })),
  );
}

/** Every problem that keeps a workflow from being saved (none: an empty list). */
export function workflowProblems(definition: WorkflowInput): WorkflowProblem[] {
  const compiled = compileWorkflow(definition, { id: 'validate', version: 0 }, sandbox(null));
  return 'problems' in compiled ? compiled.problems : [];
}
