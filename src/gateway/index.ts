/**
 * The data plane's only door: everything other layers (the node start-up, the HTTP dispatcher,
 * the MCP surfaces) use of the gateway is exported here.
 */
import type { RedisLimiter, RedisLimiterOptions } from './limits/redis.js';
import type { RedisCacheOptions } from './workflows/cache/redis-cache.js';
import type { ResponseCache } from './workflows/cache/response-cache.js';

export { clientCertificateOf } from './auth/client-certificate.js';
export type { Catalog, CatalogEndpoint, CatalogView } from './catalog/catalog.js';
export { bodyHowTo, encodeBody } from './catalog/body.js';
export { type ArgumentIssue, buildPath, type CallParts, checkParams, type Contract } from './catalog/contract.js';
export { expiringCredentials } from './credentials/expiring.js';
export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export type { ApprovalOptions, ApprovalStore } from './guardrails/approval-desk.js';
export type { LimitDecision, LimitRule, Limiter, LimitWindow } from './limits/limiter.js';
export { createMemoryLimiter, type MemoryLimiterOptions } from './limits/memory.js';
export { type LeaseGrant, type LeaseRequest, type LeaseReturn, LeaseBank } from './limits/lease-bank.js';
export { createLeasedLimiter, type LeasedLimiter, type LeaseTransport } from './limits/leased.js';
export type { RedisLimiter, RedisLimiterOptions } from './limits/redis.js';
export type { LimitsReport } from './limits/report.js';
export { deferContinue, sendContinue } from './net/expect-continue.js';
export type { HeaderMap } from './net/header-map.js';
export { lingerThenClose } from './net/linger.js';
export { guardedLookup, isPrivateAddress } from './net/outbound-guard.js';
export type { PreauthenticatedCaller } from './pipeline/context.js';
export type { ExecuteLimits } from './pipeline/core.js';
export type { ExecuteOptions, GatewayRequest, GatewayResponse } from './pipeline/execute.js';
export type { Identity } from './pipeline/identify.js';
export { compileSnapshot } from './snapshot/compile.js';
export { createSnapshotHolder, type SnapshotHolder, type SnapshotHolderOptions } from './snapshot/holder.js';
export { loadSnapshotInput, type SnapshotInput } from './snapshot/load.js';
export type { CompiledProfile, Snapshot } from './snapshot/types.js';
export { NOT_SETTABLE } from './upstream/header-policy.js';
export { warmResponseParser } from './upstream/warm-parser.js';
export { createMemoryCache } from './workflows/cache/memory-cache.js';
export type { ResponseCache } from './workflows/cache/response-cache.js';
export type { WorkflowProblem } from './workflows/compile.js';
export {
  type DryRun,
  dryRunWorkflow,
  type SampleCall,
  type SampleEndpoint,
  type SampleResponse,
  workflowInvalid,
  workflowProblems,
} from './workflows/dry-run.js';
export type { TraceEntry } from './workflows/exchange.js';
export type { WorkflowSummary } from './workflows/summary.js';

/** The Redis limiter, loaded on demand so a node without Redis never loads ioredis. */
export async function openRedisLimiter(opts: RedisLimiterOptions): Promise<RedisLimiter> {
  return (await import('./limits/redis.js')).createRedisLimiter(opts);
}

/** The Redis response cache for workflow cache nodes, loaded on demand like the Redis limiter. */
export async function openRedisCache(opts: RedisCacheOptions): Promise<ResponseCache> {
  return (await import('./workflows/cache/redis-cache.js')).createRedisCache(opts);
}
export { definitionPin } from './federation/pin.js';
export {
  type UpstreamNotification,
  type UpstreamNotificationListener,
  UpstreamPool,
  type UpstreamPoolOptions,
  type UpstreamTools,
} from './federation/upstream-pool.js';
export {
  ALL_RELAYED,
  capabilitiesKey,
  listToolsAs,
  type RelayCapabilities,
  type RelayedRequest,
  type RelaySink,
  relayToolCall,
} from './federation/upstream-relay.js';
export { StdioSupervisor, type StdioSupervisorOptions, type StdioWatcher } from './federation/stdio-supervisor.js';
export type { StdioLog } from './federation/stdio-stderr.js';
export type { UpstreamSessionBinding, UpstreamSessionKey, UpstreamSessionStore } from './federation/upstream-sessions.js';
export { type SessionState, UpstreamHealth, type UpstreamHealthRow, type UpstreamHealthStore } from './federation/upstream-health.js';
export { compileBackendAuth } from './credentials/compile.js';
export { TokenCache } from './credentials/token-cache.js';
export { TokenEndpoint, type TokenEndpointOptions } from './credentials/token-endpoint.js';
export { GuardedFetchError, type GuardedFetchOptions, guardedFetch } from './federation/guarded-fetch.js';
export {
  type Discovered,
  type PerUserServer,
  type Registration,
  type RegistrationStore,
  UpstreamOAuth,
  type UpstreamTokens,
} from './federation/upstream-oauth.js';
export { type ConnectionStore, connectRequired, UserTokens } from './federation/user-tokens.js';
export { snapshotVirtualTargets } from './federation/virtual-targets.js';
