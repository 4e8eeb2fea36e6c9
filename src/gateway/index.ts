/**
 * The data plane's door: building a gateway, calling through its pipeline (REST, `execute`, a
 * federated MCP call), its catalog, snapshots and workflow checks. The limiters
 * (`limits/index.ts`), upstream MCP federation (`federation/index.ts`) and the node's networking
 * helpers (`net/index.ts`) have doors of their own; nothing else is reachable from outside.
 */
import type { RedisCacheOptions } from './workflows/cache/redis-cache.js';
import type { ResponseCache } from './workflows/cache/response-cache.js';

export { clientCertificateOf } from './auth/client-certificate.js';
export { type Catalog, type CatalogEndpoint, type CatalogView, catalogPath } from './catalog/catalog.js';
export { bodyHowTo, encodeBody } from './catalog/body.js';
export { type ArgumentIssue, checkParams } from './catalog/contract.js';
export { serializationOf, serializeParams } from './catalog/serialize.js';
export { indexDoc, SearchIndex } from './catalog/search.js';
export { expiringCredentials } from './credentials/expiring.js';
export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export type { GatewayResponse, RowAdopter } from './pipeline/execute.js';
export type { Identity } from './pipeline/identify.js';
export type { CatalogAdmit } from './pipeline/catalog-admit.js';
export { type McpAdmit, virtualServerAccess } from './pipeline/mcp-admit.js';
export type { McpCaller, McpCallMethod, RelayGuard } from './pipeline/mcp-call.js';
export type { TraceHeaders } from '../telemetry/otel/tracer.js';
export { createSnapshotHolder, type SnapshotHolder } from './snapshot/holder.js';
export { warmResponseParser } from './upstream/warm-parser.js';
export { createMemoryCache } from './workflows/cache/memory-cache.js';
export { dryRunWorkflow, type SampleEndpoint, workflowInvalid, workflowProblems } from './workflows/dry-run.js';

/** The Redis response cache for workflow cache nodes, loaded on demand like the Redis limiter. */
export async function openRedisCache(opts: RedisCacheOptions): Promise<ResponseCache> {
  return (await import('./workflows/cache/redis-cache.js')).createRedisCache(opts);
}
export { compileBackendAuth } from './credentials/compile.js';
export { TokenCache } from './credentials/token-cache.js';
export { TokenEndpoint, type TokenEndpointOptions } from './credentials/token-endpoint.js';
