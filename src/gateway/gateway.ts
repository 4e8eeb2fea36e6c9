import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VirtualMcpCaller } from '../core/index.js';
import type { CallTracer } from '../telemetry/otel/tracer.js';
import type { Recorder } from '../telemetry/recorder.js';
import { KeySources } from './auth/key-sources.js';
import { TokenCache } from './credentials/token-cache.js';
import { TokenEndpoint, type TokenEndpointOptions } from './credentials/token-endpoint.js';
import type { Limiter } from './limits/limiter.js';
import { compileIpMatcher } from './net/ip-matcher.js';
import type { ExecuteLimits, GatewayCore, McpTokensReport } from './pipeline/core.js';
import { type Catalog, type CatalogEndpoint, catalogOf } from './catalog/catalog.js';
import { type LimitsReport, limitsReport } from './limits/report.js';
import type { HeaderMap } from './net/header-map.js';
import { type ExecuteOptions, executeCall, type GatewayRequest, type GatewayResponse } from './pipeline/execute.js';
import { admitCatalog, type CatalogAdmit, type CatalogSignIn } from './pipeline/catalog-admit.js';
import { callerIp, type Identity, personIdentities } from './pipeline/identify.js';
import { admitMcp, type McpAdmit, type McpAdmitDeps } from './pipeline/mcp-admit.js';
import {
  type McpCallRequest,
  type McpRequestLog,
  type McpUpstream,
  type RelayGuard,
  mcpRelayGuard,
  recordMcpRequest,
  runMcpCall,
  runMcpResult,
} from './pipeline/mcp-call.js';
import { handleRest } from './pipeline/rest.js';
import type { SnapshotHolder } from './snapshot/holder.js';
import type { CompiledProfile, Snapshot } from './snapshot/types.js';
import { type RestPoolOptions, UpstreamRegistry } from './upstream/targets.js';
import { createMemoryCache } from './workflows/cache/memory-cache.js';
import type { ResponseCache } from './workflows/cache/response-cache.js';
import { WorkflowRuntime } from './workflows/runtime.js';
import { warmGuardrails } from './workflows/warm-guardrails.js';
import { type ApprovalOptions, createApprovalDesk } from './guardrails/approval-desk.js';
import { createClassifierClient } from './guardrails/classifier.js';
import type { GuardrailReport, GuardrailServices } from './guardrails/services.js';
import { summarize, type WorkflowSummary } from './workflows/summary.js';
import { countsSettled } from './federation/token-count.js';

/** What a gateway is built from; the snapshots, limiter and recorder stay the caller's to close. */
export interface GatewayOptions {
  snapshots: SnapshotHolder;
  limiter: Limiter;
  recorder: Recorder;
  /** Peers (CIDRs or addresses) whose X-Forwarded-For / -Proto / -Host are believed. */
  trustProxy?: string[];
  limits?: Partial<ExecuteLimits>;
  upstream?: RestPoolOptions;
  /** Where workflow cache nodes keep responses; by default an in-process LRU of 64 MiB. */
  responseCache?: ResponseCache;
  /** How token endpoints of oauth2 backend credentials are called (SSRF guard, time and size limits). */
  tokenEndpoints?: TokenEndpointOptions;
  /** Reports problems that are not a caller's (a stored workflow that no longer compiles). */
  log?: (msg: string, err: unknown) => void;
  /** Traces every proxied and execute call (a span, with a child per upstream request); the caller's to shut down. */
  tracer?: CallTracer | null;
  /** Where tool policies' held calls are recorded and approvals spent; without it a held call is refused with no approval opened. */
  approvals?: ApprovalOptions;
  /** Counts guardrail outcomes (metrics); must not throw. */
  onGuardrail?: GuardrailReport;
  /** Counts tokens virtual servers show models (metrics); must not throw. */
  onMcpTokens?: McpTokensReport;
}

/** The data plane: one pipeline behind two entry points, and what adapters read about callers and the catalog. */
export interface Gateway {
  /** The node:http handler for every proxied (non-admin) path. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The channel-neutral, buffered entry (Gateway MCP `execute_call`, virtual-MCP tools); `signal` cancels it. */
  execute(request: GatewayRequest, options?: ExecuteOptions): Promise<GatewayResponse>;
  /** The entry of a federated MCP call (tools/call, prompts/get, resources/read): limits, the upstream leg given, request log, trace. */
  mcpCall<T>(call: McpCallRequest, upstream: McpUpstream<T>): Promise<T>;
  /** The response phase of a federated tool call whose result comes later (a task's): see runMcpResult. */
  mcpResult<T>(call: McpCallRequest, fetch: (relayed: RelayGuard | undefined) => Promise<T>): Promise<T>;
  /** The relay guard of a federated tool call's workflow, for what the upstream says of the call outside its result: see mcpRelayGuard. */
  mcpRelayGuard(call: McpCallRequest): RelayGuard | undefined;
  /**
   * The identify and access steps of a virtual server (`/mcp/v/{slug}`), over the node's token verifier and
   * virtual servers: the adapter runs it once per HTTP request and only maps a refusal onto HTTP.
   */
  mcpAdmission<P extends VirtualMcpCaller>(deps: Pick<McpAdmitDeps<P>, 'verifier' | 'resolve'>): McpAdmit<P>;
  /** Records a request to a virtual server that reaches no upstream as a call (`tools/list`, `initialize`…): capability volume. */
  mcpRequest(request: McpRequestLog): void;
  /**
   * The identify step of the Gateway MCP (`/mcp`): a sign-in token of `signIn`'s issuer (its grant read from the snapshot)
   * or a gateway credential, checked as the pipeline would; the adapter runs it once per HTTP request and only maps a refusal onto HTTP.
   */
  catalogAdmission(signIn: CatalogSignIn | null): CatalogAdmit;
  /** The published API catalog compiled from a snapshot (an identity's, or the live one). */
  catalog(snapshot?: Snapshot): Catalog;
  /** The REST identities a person (a virtual server's caller) may act as: the profiles naming them to sign in (see personIdentities). */
  personIdentities(names: readonly string[], ip: string | null, subject: string): Identity[];
  /** A caller's limits and what is left of them, without consuming any. */
  limits(profile: CompiledProfile | null, ip: string | null): Promise<LimitsReport>;
  /** What a catalog endpoint's workflow demands of a call (validation, claims), for a model; null without one. */
  workflowOf(snapshot: Snapshot, endpoint: CatalogEndpoint): WorkflowSummary | null;
  /** Closes upstream connection pools. */
  close(): Promise<void>;
}

const MIB = 1_048_576;
const DEFAULT_CACHE_BYTES = 64 * MIB;

/** Builds the gateway over a snapshot holder, a limiter and a recorder. */
export function createGateway(opts: GatewayOptions): Gateway {
  const upstreams = new UpstreamRegistry(opts.upstream);
  const cache = opts.responseCache ?? createMemoryCache(DEFAULT_CACHE_BYTES);
  const tokenEndpoint = new TokenEndpoint(opts.tokenEndpoints);
  const classifier = createClassifierClient();
  const guardrails: GuardrailServices = {
    classify: classifier.classify,
    approvals: opts.approvals ? createApprovalDesk(opts.snapshots, opts.approvals) : null,
    report: opts.onGuardrail ?? (() => {}),
    close: classifier.close,
  };
  const core: GatewayCore = {
    snapshots: opts.snapshots,
    limiter: opts.limiter,
    recorder: opts.recorder,
    keys: new KeySources(),
    upstreams,
    trustedProxies: compileIpMatcher(opts.trustProxy ?? []),
    limits: { maxRequestBytes: MIB, maxResponseBytes: MIB, ...opts.limits },
    workflows: new WorkflowRuntime({ limiter: opts.limiter, cache, upstreams, log: opts.log ?? (() => {}), guardrails }),
    tokens: new TokenCache(tokenEndpoint),
    tracer: opts.tracer ?? null,
    mcpTokens: opts.onMcpTokens ?? (() => {}),
  };
  const stopWarming = warmGuardrails(() => opts.snapshots.current(), opts.log ?? (() => {}));
  return {
    handle: (req, res) => handleRest(core, req, res),
    execute: (request, options) => executeCall(core, request, options),
    mcpCall: (call, upstream) => runMcpCall(core, call, upstream),
    mcpResult: (call, fetch) => runMcpResult(core, call, fetch),
    mcpRelayGuard: (call) => mcpRelayGuard(core, call),
    mcpRequest: (request) => recordMcpRequest(core, request),
    mcpAdmission: ({ verifier, resolve }) => {
      const deps = {
        verifier,
        resolve,
        mcp: () => core.snapshots.current().mcp,
        ip: (headers: HeaderMap, peer: string | null | undefined) => callerIp(core, headers, peer),
      };
      return (request) => admitMcp(deps, request);
    },
    catalogAdmission: (signIn) => (request) => admitCatalog(core, signIn, request),
    catalog: (snapshot) => catalogOf(snapshot ?? core.snapshots.current()),
    personIdentities: (names, ip, subject) => personIdentities(core, names, ip, subject),
    limits: (profile, ip) => limitsReport(core.limiter, profile, ip),
    workflowOf: (snapshot, endpoint) => summarize(core.workflows.for(snapshot, endpoint.proxy, endpoint.id)),
    close: async () => {
      stopWarming();
      // Calls whose rows wait for their token count are recorded before the recorder closes (it closes after the gateway).
      await countsSettled();
      await core.upstreams.close();
      await tokenEndpoint.close();
      await cache.close();
      await guardrails.close();
    },
  };
}
