import { z } from 'zod';
import { TimeRange } from './metrics.js';

/**
 * What federated-call analytics can be grouped by: the virtual server, the tool, the user (or
 * service account) the call was made as, the agent that made it for them (token exchange).
 */
export const McpAnalyticsDimension = z.enum(['server', 'tool', 'user', 'agent']);
export type McpAnalyticsDimension = z.infer<typeof McpAnalyticsDimension>;

export const McpAnalyticsQuery = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  /** Only this virtual MCP server (its slug). */
  server: z.string().min(1).max(64).optional(),
  /** Only this tool, as the virtual server shows it. */
  tool: z.string().min(1).max(300).optional(),
  /** Only calls made as this user or service account: `user:<id>` or `service:<id>`, as the request log's `subject`. */
  user: z.string().min(1).max(300).optional(),
  /** Only calls an agent made, as this agent (`service:<id>`); `none` for calls made by the subject itself. */
  agent: z.string().min(1).max(300).optional(),
  /** Comma-separated dimensions to group by, e.g. `server,tool`; default server, tool and user. */
  groupBy: z
    .string()
    .regex(/^(server|tool|user|agent)(,(server|tool|user|agent)){0,3}$/, 'a comma-separated list of server, tool, user and agent')
    .default('server,tool,user'),
  /** The busiest groups returned (by calls). */
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  /** Also answer the totals per bucket of this size (`timeseries`), from the rollups of that resolution. */
  bucket: z.enum(['minute', 'hour', 'day']).optional(),
});
export type McpAnalyticsQuery = z.infer<typeof McpAnalyticsQuery>;

/** Calls, success and latency of a set of federated tool calls, with failures by where they arose. */
export const McpCallStats = z.object({
  calls: z.number(),
  succeeded: z.number(),
  /** succeeded / calls; null without calls. */
  successRate: z.number().nullable(),
  /** Calls an agent made for the user (token exchange). */
  agentCalls: z.number(),
  avgLatencyMs: z.number().nullable(),
  /** Percentiles from the latency histogram, interpolated within a bucket. */
  p50LatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
  p99LatencyMs: z.number().nullable(),
  /**
   * Failed calls by origin: the gateway itself (limits, withheld tools, bad arguments), credentials
   * (`auth`), the upstream (unreachable, timed out, an error, or a tool that answered an `isError` result).
   */
  failures: z.object({ gateway: z.number(), auth: z.number(), upstream: z.number() }),
  /** Tokens (o200k_base) of the tool results returned to the model; calls made before tokens were counted add 0. */
  tokensReturned: z.number(),
  /**
   * Tokens of the tool listings (tools/list) served to the model. A listing names no tool: grouped
   * by tool, a group's is 0 (the totals and the time series count every listing); grouped by server,
   * user or agent, a group's are its own. Groups are groups of calls: one that only listed is left out.
   */
  tokensListed: z.number(),
});
export type McpCallStats = z.infer<typeof McpCallStats>;

/** Calls whose workflow guardrails blocked, redacted, flagged, held for approval, or whose approval was given or denied. */
export const McpGuardrailCounts = z.object({
  blocked: z.number(),
  redacted: z.number(),
  flagged: z.number(),
  approved: z.number(),
  denied: z.number(),
  held: z.number(),
});
export type McpGuardrailCounts = z.infer<typeof McpGuardrailCounts>;

/** Requests to a virtual MCP server by MCP method: what callers discover and read besides calling tools. */
export const McpCapabilityCounts = z.object({
  toolsList: z.number(),
  toolsCall: z.number(),
  promptsList: z.number(),
  promptsGet: z.number(),
  resourcesList: z.number(),
  resourcesRead: z.number(),
  /** `initialize`, `ping`, `resources/templates/list`, `completion/complete`… */
  other: z.number(),
});
export type McpCapabilityCounts = z.infer<typeof McpCapabilityCounts>;

export const McpAnalyticsGroup = McpCallStats.extend({
  server: z.string().optional(),
  tool: z.string().optional(),
  /** `user:<id>` or `service:<id>`; null when the caller was not known. */
  user: z.string().nullable().optional(),
  /** The username or service account name behind `user`, with `groupBy` user; null when the gateway knows none. */
  userName: z.string().nullable().optional(),
  /** The agent that made the calls (`service:<id>`); null for calls the user made (or made before agents were recorded). */
  agent: z.string().nullable().optional(),
  /** The service account name behind `agent`, with `groupBy` agent; null when the gateway knows none. */
  agentName: z.string().nullable().optional(),
  guardrails: McpGuardrailCounts,
});

export const McpAnalytics = TimeRange.extend({
  groupBy: z.array(McpAnalyticsDimension),
  totals: McpCallStats,
  /** Busiest first. */
  groups: z.array(McpAnalyticsGroup),
  /** More groups matched than `limit`. */
  truncated: z.boolean(),
  /** With `bucket`: the totals of each bucket that had calls, oldest first. */
  timeseries: z.array(McpCallStats.extend({ start: z.string() })).optional(),
  /** Capability volume over the range, with the server, user and agent filters (not the tool one): in all and per server, busiest first. */
  capabilities: McpCapabilityCounts.extend({ servers: z.array(McpCapabilityCounts.extend({ server: z.string() })) }),
  /** Guardrail outcomes of the matching tool calls, with what redactions removed by kind (`email`, `card`…: items found). */
  guardrails: McpGuardrailCounts.extend({ redactedKinds: z.record(z.string(), z.number()) }),
});
export type McpAnalytics = z.infer<typeof McpAnalytics>;
