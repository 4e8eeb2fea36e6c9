/**
 * The door of upstream MCP federation: the pooled upstream clients, relayed calls, stdio children,
 * upstream sessions, health and OAuth (the node wires them; the virtual-server surface uses them).
 * A federated call itself goes through the pipeline: `Gateway.mcpCall` in `gateway/index.ts`.
 */
export { definitionPin } from './pin.js';
export { definitionScan } from './definition-scan.js';
export { snapshotVirtualTargets, upstreamTarget } from './virtual-targets.js';
export { privateAddressRefusal, privateUpstreamError } from './upstream-errors.js';
export type { UpstreamNotification } from './notice-budget.js';
export { type NotificationFanout, UpstreamPool, type UpstreamTools } from './upstream-pool.js';
export { atLeast, callNotices, isLogLevel, type LogLevel } from './call-notices.js';
export { ALL_RELAYED, capabilitiesKey, type RelayCapabilities, type RelayedRequest, type RelaySink } from './upstream-relay.js';
export { StdioSupervisor } from './stdio-supervisor.js';
export { StdioOnceError, withStdioOnce } from './stdio-once.js';
export type { StdioLog } from './stdio-stderr.js';
export { guardedFetch } from './guarded-fetch.js';
export { type PerUserServer, type Registration, type RegistrationStore, UpstreamOAuth, type UpstreamTokens } from './upstream-oauth.js';
export { type ChainIdentity, ChainRefused, IdJagChain, takesIdJag } from './upstream-id-jag.js';
export { type ConnectionStore, connectRequired, UserTokens } from './user-tokens.js';
export { type ContextCounts, countContext } from './context-count.js';
export { byName, curatedDefinition } from './curated-definition.js';
export { countTokens, loadedTokenizer, TOKENIZER, tokenizer } from './token-count.js';
export { CALL_TOOL, DEFAULT_HITS, DESCRIBE_TOOL, MAX_HITS, SEARCH_MODE_NAMES, SEARCH_MODE_TOOLS } from './search-mode-tools.js';
export { findOperation, type OperationLookup, restContract, restToolDefinition, restToolOfDocument, restWithheld } from './rest-definition.js';
