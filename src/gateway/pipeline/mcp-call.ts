import type { Attributes } from '@opentelemetry/api';
import { type ErrorCode, GatehouseError, type RequestRecord, type WorkflowRef } from '../../core/index.js';
import { isoTime } from '../../telemetry/iso-time.js';
import { newLogId } from '../../telemetry/log-id.js';
import { addGuardrailAttributes } from '../../telemetry/otel/guardrail-attributes.js';
import type { CallSpan, TraceHeaders, UpstreamSpan } from '../../telemetry/otel/tracer.js';
import { callHeaders } from '../federation/call-headers.js';
import { countThen, listingCountThen, resultText } from '../federation/token-count.js';
import { chargeLimit, toolCharge } from '../limits/limit-step.js';
import type { LimitWindow } from '../limits/limiter.js';
import type { CallerView, CallView, McpView } from '../workflows/call-view.js';
import type { CompiledWorkflow } from '../workflows/compile.js';
import { Exchange } from '../workflows/exchange.js';
import { jsonJudge } from '../workflows/judge-json.js';
import { storeInCache } from '../workflows/responses.js';
import { runNodes, runRequestPhase } from '../workflows/run.js';
import type { GatewayCore } from './core.js';
import { upstreamHeadersOf } from './mcp-upstream-headers.js';
import { handOff, roundMs } from './record.js';

/** The federated MCP requests that reach an upstream on a caller's behalf. */
export type McpCallMethod = 'tools/call' | 'prompts/get' | 'resources/read';

/** Who makes a federated call: identified and admitted by the virtual server's adapter (its token, access list). */
export interface McpCaller {
  requestId: string;
  /** The token's subject (`user:<id>`, `service:<id>`): per-user limits count under it. */
  subject: string;
  /** The agent acting for `subject` (token exchange), or null. */
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The trace context the request carries (`_meta.traceparent` or headers). */
  trace: TraceHeaders | null;
  /**
   * Where a request that is not a call itself (a completion, a task's status or result) keeps what
   * a workflow judged of it: each workflow run over it gives its summary (the workflow, then its
   * guardrails' decisions) for the request's log row (see McpRequestLog.caller).
   */
  judged?: (() => string)[];
}

/** One federated call, as the federation code hands it to the pipeline. */
export interface McpCallRequest {
  method: McpCallMethod;
  /** The virtual server's slug. */
  server: string;
  /** What the caller asked for: the tool or prompt as the virtual server shows it, or the resource URI. */
  name: string;
  upstream: { readonly name: string; readonly url: string };
  /** The same at the upstream: its tool or prompt name, or the URI. */
  upstreamName: string;
  arguments: Record<string, unknown>;
  caller: McpCaller;
  /** The per-caller rate limit of this tool; null for none (or a retry of a call already counted). */
  rateLimit: { window: LimitWindow; limit: number } | null;
  /** The workflow the virtual server runs on this call; null for none. */
  workflow: WorkflowRef | null;
  /** Whether the tool is read-only (see McpView.readOnly); absent for prompts, resources and tools that are not. */
  readOnly?: () => Promise<boolean>;
  /** Whether the tool may destroy something (see McpView.destructive); absent for prompts and resources. */
  destructive?: () => Promise<boolean>;
}

/** What the upstream leg sends: the arguments (as the request workflow left them) and the trace context (null when not tracing). */
export interface McpLeg {
  arguments: Record<string, unknown>;
  trace: TraceHeaders | null;
  /** Headers the request workflow set for the upstream request (see upstreamHeadersOf); null for none. */
  headers: Readonly<Record<string, string>> | null;
  /**
   * Where a leg that runs the REST pipeline (a REST tool) hands the request-log entry that pipeline
   * made: the federated call's facts are written into it, and it is the call's one row (see oneRow).
   */
  adopt: (entry: RequestRecord) => void;
  /**
   * Judges what passes between the upstream and the caller during the call, outside its arguments
   * and result (see RelayGuard); absent when the workflow runs no guardrail on either side.
   */
  relayed?: RelayGuard;
}

/**
 * The virtual server's guardrails over a call's exchanges besides its arguments and result: what
 * the upstream sends the caller (`sampling/createMessage`, `elicitation/create`, a task's status,
 * its error) passes the response side's, and the caller's answer to the upstream's request passes
 * the request side's before the upstream gets it (a sampled completion can carry what the
 * conversation held). Each gives what to send on (redacted where `detect_pii` redacts) or refuses
 * (GATEHOUSE_GUARDRAIL_BLOCKED).
 */
export interface RelayGuard {
  /** What the upstream sends the caller: the response side's guardrails. */
  toCaller(method: string, params: Record<string, unknown> | undefined): Promise<Record<string, unknown> | undefined>;
  /** What the caller sends the upstream besides the call itself (an answer to its request, a completion's values typed so far): the request side's. */
  toUpstream(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** The relay guard of a call's workflow (see RelayGuard), or undefined when neither side has a guardrail. */
function relayGuardOf(wf: CompiledWorkflow, x: Exchange): RelayGuard | undefined {
  const toCaller = jsonJudge(wf, x, 'response');
  const toUpstream = jsonJudge(wf, x, 'request');
  if (toCaller === null && toUpstream === null) return undefined;
  return {
    toCaller: async (method, params) => (toCaller === null || params === undefined ? params : toCaller(method, params)),
    toUpstream: async (method, params) => (toUpstream === null ? params : toUpstream(method, params)),
  };
}

/**
 * An upstream's JSON-RPC error: its message is text the upstream wrote, which the caller's model
 * reads in the tool error (GATEHOUSE_MCP_UPSTREAM_ERROR). Judged by the relay guard, as what the
 * upstream asks the caller is: returned redacted, or the guard's refusal in its place.
 */
async function judgedFailure(err: unknown, relayed: RelayGuard | undefined): Promise<unknown> {
  if (relayed === undefined || !(err instanceof GatehouseError) || err.code !== 'GATEHOUSE_MCP_UPSTREAM_ERROR') return err;
  try {
    const message = (await relayed.toCaller('error', { message: err.message }))?.message;
    return typeof message === 'string' && message !== err.message ? new GatehouseError(err.code, message, err.details, err.headers) : err;
  } catch (refusal) {
    return refusal;
  }
}

/** The upstream leg, supplied by the federation code; its result must be JSON (what the response workflow reads and may rewrite). */
export type McpUpstream<T> = (leg: McpLeg) => Promise<T>;

/** The `_meta` key of a result that carries its guardrail outcomes (a flag, a redaction). */
const GUARDRAILS_META = 'gatehouse/guardrails';

/** JSON-RPC "invalid params": the federation code's refusal of an unknown tool, prompt or resource (no upstream call made). */
const INVALID_PARAMS = -32602;

const NOT_READ_ONLY = () => Promise.resolve(false);
// Reading a prompt or a resource changes nothing upstream.
const DESTRUCTIVE = () => Promise.resolve(true);
const NOT_DESTRUCTIVE = () => Promise.resolve(false);

/** The error code a tool's `isError` result is recorded with (the call is answered, not refused). */
const TOOL_ERROR: ErrorCode = 'GATEHOUSE_UPSTREAM_TOOL_ERROR';

/** The request log's name of the call: the tool as shown, or the method and what it names; then where it went. */
function calledAs(call: McpCallRequest): string {
  const shown = call.method === 'tools/call' ? call.name : `${call.method} ${call.name}`;
  return `${shown} → ${call.upstream.name}/${call.upstreamName}`;
}

function startSpan(core: GatewayCore, call: McpCallRequest): CallSpan | null {
  if (core.tracer === null) return null;
  const caller = call.caller;
  return core.tracer.startCall(`${call.method} ${call.name}`, caller.trace ?? {}, {
    'gatehouse.channel': 'federation',
    'gatehouse.request.id': caller.requestId,
    'url.path': `/mcp/v/${call.server}`,
    'gatehouse.mcp.server': call.server,
    'gatehouse.mcp.tool': call.name,
    'gatehouse.mcp.upstream': call.upstream.name,
    ...(caller.ip !== null ? { 'client.address': caller.ip } : {}),
  });
}

function startUpstreamSpan(span: CallSpan, call: McpCallRequest): UpstreamSpan {
  const url = new URL(call.upstream.url);
  return span.startUpstream(`${call.method} ${call.upstreamName}`, {
    'server.address': url.hostname,
    'server.port': url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    'gatehouse.mcp.upstream': call.upstream.name,
    'gatehouse.mcp.tool': call.upstreamName,
  });
}

/** What differs between the request-log entries of requests to a virtual server. */
type EntryFields = Pick<
  RequestRecord,
  'status' | 'upstreamLatencyMs' | 'bytesIn' | 'bytesOut' | 'errorCode' | 'mcpTool' | 'workflow' | 'mcpMethod' | 'mcpTokens'
>;

/** A request-log entry of a request to a virtual server (channel `federation`, path the server's, the caller's token subject). */
function federationEntry(server: string, caller: McpCaller, startedAt: number, latencyMs: number, fields: EntryFields): RequestRecord {
  return {
    id: newLogId(startedAt),
    requestId: caller.requestId,
    time: isoTime(startedAt),
    channel: 'federation',
    collectionId: null,
    proxyId: null,
    endpointId: null,
    clientId: null,
    profileId: null,
    method: 'POST',
    path: `/mcp/v/${server}`,
    latencyMs,
    ip: caller.ip,
    userAgent: caller.userAgent,
    mcpClient: null,
    requestBody: null,
    responseBody: null,
    subject: caller.subject,
    actor: caller.actor,
    mcpServer: server,
    ...fields,
  };
}

/**
 * One row for a call whose leg ran the REST pipeline: that pipeline's entry (the REST path, endpoint,
 * client, profile, the API's status and latency, its workflow) with the federated call's facts (its
 * server, tool, method, tokens, caller and whole latency), so the call is counted once in the REST
 * and the MCP analytics alike. A refusal after the REST leg (the virtual server's response workflow) is the call's.
 */
function oneRow(rest: RequestRecord, call: RequestRecord): RequestRecord {
  const refusedAfter = rest.status < 400 && call.status >= 400;
  return {
    ...rest,
    id: call.id,
    time: call.time,
    channel: 'federation',
    status: refusedAfter ? call.status : rest.status,
    latencyMs: call.latencyMs,
    errorCode: refusedAfter ? call.errorCode : (rest.errorCode ?? call.errorCode),
    // Both workflows' decisions, the proxy's first (guardrail analytics read every decision after the first label).
    workflow: rest.workflow === null ? call.workflow : call.workflow === null ? rest.workflow : `${rest.workflow} ${call.workflow}`,
    subject: call.subject,
    actor: call.actor,
    mcpTool: call.mcpTool,
    mcpMethod: call.mcpMethod,
    mcpTokens: call.mcpTokens ?? null,
    mcpServer: call.mcpServer ?? null,
  };
}

/** Records a federated call: its own row, or the REST row its leg made with the call's facts (see oneRow). */
function recordCallRow(core: GatewayCore, call: RequestRecord, rest: RequestRecord | null): void {
  handOff(core, rest === null ? call : oneRow(rest, call));
}

/**
 * The request-log entry of one federated call. `failure` is the error the call was refused or
 * failed with; `errorCode` alone (no failure) marks a result the caller got that reports a
 * failure (a tool's `isError`): answered, so status 200, but not a success.
 */
function entryOf(
  call: McpCallRequest,
  startedAt: number,
  latencyMs: number,
  failure: GatehouseError | null,
  bytesOut: number,
  workflow: string | null,
  errorCode: ErrorCode | null = failure?.code ?? null,
  tokens: number | null = null,
): RequestRecord {
  const latency = roundMs(latencyMs);
  return federationEntry(call.server, call.caller, startedAt, latency, {
    status: failure ? failure.status : 200,
    upstreamLatencyMs: failure ? null : latency,
    bytesIn: JSON.stringify(call.arguments).length,
    bytesOut,
    errorCode,
    mcpTool: calledAs(call),
    workflow,
    mcpMethod: call.method,
    mcpTokens: tokens,
  });
}

/** A request to a virtual server other than a call that reaches an upstream (`tools/list`, `prompts/list`, `initialize`…): capability volume. */
export interface McpRequestLog {
  /** The virtual server's slug. */
  server: string;
  /** The JSON-RPC method. */
  method: string;
  caller: McpCaller;
  startedAt: number;
  latencyMs: number;
  status: number;
  bytesIn: number;
  /** A tools/list's listing as served (its JSON), whose tokens the row records. */
  listJson?: string | undefined;
}

/** Records one request to a virtual server that is not a federated call, for capability volume (channel `federation`). */
export function recordMcpRequest(core: GatewayCore, request: McpRequestLog): void {
  if (request.listJson === undefined) {
    recordRequest(core, request, null);
    return;
  }
  // Token-cost analytics: what the listing costs the model, in its request-log row and the metrics.
  listingCountThen(request.listJson, (tokens) => {
    recordRequest(core, request, tokens);
    if (tokens !== null) core.mcpTokens(request.server, '', 'listed', tokens);
  });
}

function recordRequest(core: GatewayCore, request: McpRequestLog, tokens: number | null): void {
  // A tasks/list judges each task's status: the same summary once (and so many at most).
  const judged = [...new Set(request.caller.judged?.map((summary) => summary()))].slice(0, 16).join(' ');
  handOff(
    core,
    federationEntry(request.server, request.caller, request.startedAt, roundMs(request.latencyMs), {
      status: request.status,
      upstreamLatencyMs: null,
      bytesIn: request.bytesIn,
      bytesOut: 0,
      errorCode: null,
      mcpTool: null,
      workflow: judged ? judged : null,
      mcpMethod: request.method.slice(0, 64),
      mcpTokens: tokens,
    }),
  );
}

/** A federated call as a workflow reads it: no proxy, endpoint or headers; the caller is the token's subject. */
class McpCallView implements CallView {
  readonly method = 'POST';
  readonly rest = '';
  readonly query = '';
  readonly headers = {};
  readonly credentialHeader = null;
  readonly endpoint = null;
  readonly caller: CallerView | null = null;
  readonly claims = null;
  readonly proxy = null;
  readonly preauth: { readonly subject: string };
  readonly mcp: McpView;
  readonly path: string;
  readonly ip: string | null;
  readonly requestId: string;
  limit = null;

  constructor(
    call: McpCallRequest,
    readonly startedAt: number,
  ) {
    this.requestId = call.caller.requestId;
    this.path = `/mcp/v/${call.server}`;
    this.ip = call.caller.ip;
    this.preauth = { subject: call.caller.subject };
    this.mcp = {
      method: call.method,
      server: call.server,
      tool: call.name,
      upstream: call.upstream.name,
      upstreamTool: call.upstreamName,
      caller: { subject: call.caller.subject, actor: call.caller.actor },
      readOnly: call.method === 'tools/call' ? (call.readOnly ?? NOT_READ_ONLY) : NOT_READ_ONLY,
      // A tool call nobody said anything about is destructive, as MCP's annotation defaults have it.
      destructive: call.method === 'tools/call' ? (call.destructive ?? DESTRUCTIVE) : NOT_DESTRUCTIVE,
    };
  }
}

function jsonOf(body: Buffer | null): unknown {
  if (body === null || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A result a workflow made or rewrote, as the MCP caller gets it: JSON as it is, anything else as one text part. */
function resultOf(body: Buffer | null): unknown {
  const json = jsonOf(body);
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) return json;
  return { content: [{ type: 'text', text: body?.toString('utf8') ?? '' }] };
}

/**
 * Runs a call through its workflow: request nodes over the arguments (the request body), the
 * upstream leg (unless a node answered: mock), response nodes over the result (the response body).
 */
async function throughWorkflow<T>(
  core: GatewayCore,
  wf: CompiledWorkflow,
  x: Exchange,
  call: McpCallRequest,
  upstream: McpUpstream<T>,
  trace: TraceHeaders | null,
  adopt: McpLeg['adopt'],
): Promise<{ value: T; bytes: number | null }> {
  const args = Buffer.from(JSON.stringify(call.arguments));
  if (wf.requestBody && args.length > wf.bodyLimitBytes) throw new GatehouseError('GATEHOUSE_WORKFLOW_BODY_TOO_LARGE');
  x.setRequestBody(args);
  await runRequestPhase(wf.request, x);
  // A cached result is what the response workflow made of it then: it is not run again.
  if (x.answered === 'cache') return { value: resultOf(x.response?.body ?? null) as T, bytes: x.response?.body?.length ?? null };
  let result: T | undefined;
  let sent: Buffer | null = null;
  if (x.answered === null) {
    const edited = x.requestBody === args ? call.arguments : jsonOf(x.requestBody);
    if (edited === null || typeof edited !== 'object' || Array.isArray(edited))
      throw new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED', 'The request workflow left tool arguments that are not a JSON object.');
    const leg = { arguments: edited as Record<string, unknown>, trace, headers: upstreamHeadersOf(x), adopt, relayed: relayGuardOf(wf, x) };
    // However the leg reaches the upstream (a pooled or a relayed session, a task, a prompt or a resource), its fetch reads the headers here.
    result = await (leg.headers === null ? upstream(leg) : callHeaders.run(leg.headers, () => upstream(leg))).catch(async (err: unknown) => {
      throw await judgedFailure(err, leg.relayed);
    });
    sent = answered(wf, x, result);
  }
  const final = await responsePhase(wf, x, result, sent);
  if (x.cacheStore !== null && !isToolError(final)) {
    const stored = final === result && sent !== null ? sent : Buffer.from(JSON.stringify(final));
    storeInCache(x, { status: 200, headers: { 'content-type': 'application/json' }, body: stored }, core.workflows.log);
  }
  // The size of the result as serialized for the response phase, when that is what the caller gets.
  return { value: final, bytes: final === result && sent !== null ? sent.length : null };
}

/** The upstream's result as the response phase reads it (its JSON); refused when larger than the workflow reads. */
function answered(wf: CompiledWorkflow, x: Exchange, result: unknown): Buffer {
  const sent = Buffer.from(JSON.stringify(result ?? null));
  if (wf.responseBody && sent.length > wf.bodyLimitBytes) throw new GatehouseError('GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE');
  x.setResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: sent });
  return sent;
}

/** The response nodes over the result (`sent`, its JSON; null when a node answered): the result the caller gets, with what guardrails did in its `_meta`. */
async function responsePhase<T>(wf: CompiledWorkflow, x: Exchange, result: T | undefined, sent: Buffer | null): Promise<T> {
  x.phase = 'response';
  await runNodes(wf.response, x);
  const body = x.response?.body ?? null;
  // Unchanged, the upstream's result goes on as it is; rewritten or made by a node, it is read back.
  const out = result !== undefined && body === sent ? result : (resultOf(body) as T);
  return x.guardrails.length === 0 ? out : withGuardrails(out, x.guardrails);
}

/**
 * The response phase of a federated tool call whose result comes later (a task's `tasks/result`,
 * perhaps on another node): the tool's response workflow over the result, as over a direct answer,
 * and its relay guard (see McpLeg.relayed) over what the upstream asks the caller meanwhile, handed
 * to `fetch`. The request phase, limits and the call's row were the task's creation's; a refusal
 * here is the GatehouseError a direct answer's would be.
 */
export async function runMcpResult<T>(core: GatewayCore, call: McpCallRequest, fetch: (relayed: RelayGuard | undefined) => Promise<T>): Promise<T> {
  if (call.workflow === null) return fetch(undefined);
  const { wf, x } = outsideCall(core, call, call.workflow);
  const relayed = relayGuardOf(wf, x);
  // A JSON-RPC error answering the result (a failed task, a store that lost it) is the upstream's text too.
  const result = await fetch(relayed).catch(async (err: unknown) => {
    throw await judgedFailure(err, relayed);
  });
  return responsePhase(wf, x, result, answered(wf, x, result));
}

/** The relay guard of a federated tool call's workflow (see McpLeg.relayed), for what the upstream says of a call outside its result (a task's status); undefined when none runs. */
export function mcpRelayGuard(core: GatewayCore, call: McpCallRequest): RelayGuard | undefined {
  if (call.workflow === null) return undefined;
  const { wf, x } = outsideCall(core, call, call.workflow);
  return relayGuardOf(wf, x);
}

/** A call's workflow and a fresh exchange for it, for what is judged of the call after (or beside) its own run. */
function outsideCall(core: GatewayCore, call: McpCallRequest, workflow: WorkflowRef): { wf: CompiledWorkflow; x: Exchange } {
  const wf = core.workflows.forMcp(core.snapshots.current(), workflow);
  const x = new Exchange(new McpCallView(call, Date.now()));
  // The request's own row says what was judged of it (see McpCaller.judged).
  call.caller.judged?.push(() => x.summary(wf.label));
  return { wf, x };
}

/** A result that reports a failure (`isError`): never served again from a cache. */
function isToolError(result: unknown): boolean {
  return result !== null && typeof result === 'object' && (result as { isError?: unknown }).isError === true;
}

/** Tells the caller what guardrails found and did (kinds and counts, never a matched value), in the result's `_meta`. */
function withGuardrails<T>(result: T, outcomes: readonly string[]): T {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return result;
  const meta = (result as { _meta?: Record<string, unknown> })._meta;
  return { ...result, _meta: { ...(meta ?? {}), [GUARDRAILS_META]: [...outcomes] } };
}

/**
 * The pipeline entry of a federated `tools/call`, `prompts/get` or `resources/read`: limits →
 * request workflow → upstream (the federation code's leg) → response workflow → request log →
 * trace. A GatehouseError (a limit, a workflow's refusal, a withheld tool, a failed upstream) is
 * recorded and rethrown for the adapter to answer in its protocol; a refusal as JSON-RPC invalid
 * params (unknown name) and unexpected errors are traced, not recorded.
 */
export async function runMcpCall<T>(core: GatewayCore, call: McpCallRequest, upstream: McpUpstream<T>): Promise<T> {
  const startedAt = Date.now();
  const started = performance.now();
  const span = startSpan(core, call);
  let up: UpstreamSpan | null = null;
  let wf: CompiledWorkflow | null = null;
  let x: Exchange | null = null;
  const summary = () => (x === null || wf === null ? null : x.summary(wf.label));
  // The REST pipeline's row of a REST tool's leg, when it ran: the call's one row.
  let restRow: RequestRecord | null = null;
  const adopt = (entry: RequestRecord) => {
    restRow = entry;
  };
  try {
    if (call.rateLimit !== null) await chargeLimit(core.limiter, toolCharge(call.server, call.name, call.caller.subject, call.rateLimit), Date.now(), null);
    up = span === null ? null : startUpstreamSpan(span, call);
    const trace = up?.headers ?? null;
    let result: T;
    let bytes: number | null = null;
    if (call.workflow === null) result = await upstream({ arguments: call.arguments, trace, headers: null, adopt });
    else {
      wf = core.workflows.forMcp(core.snapshots.current(), call.workflow);
      x = new Exchange(new McpCallView(call, startedAt));
      ({ value: result, bytes } = await throughWorkflow(core, wf, x, call, upstream, trace, adopt));
    }
    // A REST tool's row carries the REST response's bytes (see oneRow): its result is not serialized for a size.
    const bytesOut = restRow !== null ? 0 : (bytes ?? JSON.stringify(result ?? null).length);
    // The tool ran and said it failed: answered as the upstream gave it, counted as a failure at the upstream.
    const toolError = isToolError(result) ? TOOL_ERROR : null;
    const latencyMs = performance.now() - started;
    const workflow = summary();
    const rest = restRow;
    up?.end({ status: 200, ...(toolError !== null ? { error: toolError } : {}) });
    if (call.method !== 'tools/call') {
      recordCallRow(core, entryOf(call, startedAt, latencyMs, null, bytesOut, workflow, toolError), rest);
      if (span !== null) endSpan(span, 200, toolError, wf, x);
    } else {
      // Token-cost analytics: what the tool's answer costs the model, counted off the call's path
      // (see countThen), in its request-log row, the metrics and its span (ended at the call's end).
      const endMs = span === null ? 0 : span.clock();
      countThen(resultText(result), (tokens) => {
        recordCallRow(core, entryOf(call, startedAt, latencyMs, null, bytesOut, workflow, toolError, tokens), rest);
        if (tokens !== null) core.mcpTokens(call.server, call.name, 'returned', tokens);
        if (span !== null) {
          if (tokens !== null) span.setAttributes({ 'gatehouse.mcp.tokens': tokens });
          endSpan(span, 200, toolError, wf, x, endMs);
        }
      });
    }
    return result;
  } catch (err) {
    if (err instanceof GatehouseError) {
      const bytesOut = JSON.stringify({ error: { code: err.code, message: err.message } }).length;
      recordCallRow(core, entryOf(call, startedAt, performance.now() - started, err, bytesOut, summary()), restRow);
      up?.end({ error: err.code });
      if (span !== null) endSpan(span, err.status, err.code, wf, x);
    } else {
      // The REST leg's own row is not lost to a fault after it.
      if (restRow !== null) handOff(core, restRow);
      const refused = (err as { code?: unknown } | null)?.code === INVALID_PARAMS;
      const code = refused ? 'GATEHOUSE_NOT_FOUND' : 'GATEHOUSE_INTERNAL';
      up?.end({ error: code });
      span?.end({ status: refused ? 404 : 500, errorCode: code });
    }
    throw err;
  }
}

/** Closes the call's span, with the workflow it ran and what its guardrails found (kinds and counts, never a matched value). */
function endSpan(span: CallSpan, status: number, errorCode: string | null, wf: CompiledWorkflow | null, x: Exchange | null, endMs?: number): void {
  if (wf !== null) {
    const attributes: Attributes = { 'gatehouse.workflow.id': wf.id, 'gatehouse.workflow.version': wf.version };
    if (x !== null) addGuardrailAttributes(attributes, x.guardrails);
    span.setAttributes(attributes);
  }
  span.end({ status, errorCode, ...(endMs !== undefined ? { endMs } : {}) });
}
