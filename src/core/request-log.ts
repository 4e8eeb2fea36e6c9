import { z } from 'zod';
import { HttpMethod, Id, Page } from './common.js';

export const RequestChannel = z.enum(['rest', 'mcp', 'federation']);
export type RequestChannel = z.infer<typeof RequestChannel>;

/** One upstream attempt of a traced call: its span's id and times, from which the export worker builds the CLIENT span. */
export const UpstreamTrace = z.object({
  spanId: z.string(),
  /** Epoch milliseconds, with fractions; the end is the response head (or the failure). */
  startMs: z.number(),
  endMs: z.number(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  host: z.string(),
  port: z.number().int(),
  attempt: z.number().int(),
  /** The workflow route node (and its group) that sent the call to this upstream, if any. */
  routeNode: z.string().nullable(),
  routeGroup: z.string().nullable(),
});
export type UpstreamTrace = z.infer<typeof UpstreamTrace>;

/**
 * A sampled call's trace, carried by its request-log record: the call path only generates ids and
 * takes times; the export worker builds the SERVER and CLIENT spans from the record.
 */
export const CallTrace = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  /** The parent is the caller's (a remote span context), not one of ours. */
  parentRemote: z.boolean(),
  traceFlags: z.number().int(),
  traceState: z.string().nullable(),
  startMs: z.number(),
  endMs: z.number(),
  /** The route template the call matched (`/shop/orders/{id}`), which names the span. */
  route: z.string().nullable(),
  collectionSlug: z.string().nullable(),
  workflowId: z.string().nullable(),
  workflowVersion: z.number().int().nullable(),
  /** What guardrails found and did (`node:outcome kinds=counts`, joined by `; `), never a matched value. */
  guardrails: z.string().nullable(),
  upstreams: z.array(UpstreamTrace),
});
export type CallTrace = z.infer<typeof CallTrace>;

/** One call as the pipeline records it, after the response. */
export const RequestRecord = z.object({
  /** The log entry's own id: a UUIDv7 (time-ordered, 74 random bits), never taken from the caller. */
  id: z.string(),
  /** The X-Request-Id the caller sent or the gateway generated, for finding a call by it. */
  requestId: z.string().nullable(),
  time: z.string(),
  channel: RequestChannel,
  collectionId: z.string().nullable(),
  proxyId: z.string().nullable(),
  endpointId: z.string().nullable(),
  clientId: z.string().nullable(),
  profileId: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  latencyMs: z.number(),
  upstreamLatencyMs: z.number().nullable(),
  bytesIn: z.number().int(),
  bytesOut: z.number().int(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  errorCode: z.string().nullable(),
  /** MCP client name/version and tool, for channel `mcp`. */
  mcpClient: z.string().nullable(),
  mcpTool: z.string().nullable(),
  requestBody: z.string().nullable(),
  responseBody: z.string().nullable(),
  /** The workflow the call ran (`wf_…@3`) and what its nodes decided (`route:canary cache:hit`, `failed:<node>`). */
  workflow: z.string().nullable(),
  /** Who the call was made as, where known: `user:<id>` or `service:<id>` (a signed-in person or service account). */
  subject: z.string().nullable(),
  /** The agent that acted for `subject` (the OAuth client that exchanged the user's token, RFC 8693), or null. */
  actor: z.string().nullable(),
  /** The MCP method of a call on `/mcp` or `/mcp/v/{slug}` (`tools/call`, `tools/list`, `prompts/get`, `resources/read`, `initialize`…); null for REST calls. */
  mcpMethod: z.string().nullable(),
  /**
   * Tokens (o200k_base) of what a request to a virtual server showed the model: a tool call's
   * result, a tools/list listing. Null where not counted (REST calls, other methods, rows written
   * before tokens were counted, or before the tokenizer had loaded).
   */
  mcpTokens: z.number().int().nullable().optional(),
  /**
   * The virtual MCP server (`/mcp/v/{slug}`) a request came through. A REST tool's call is one row:
   * the REST pipeline's (its path, endpoint, client and profile), carrying the tool call's facts
   * (channel `federation`, this server, the tool, its tokens). Null for other calls and older rows.
   */
  mcpServer: z.string().nullable().optional(),
  /** The call's trace when it is sampled (OpenTelemetry on); never stored in the request log. */
  trace: CallTrace.nullable().optional(),
});
export type RequestRecord = z.infer<typeof RequestRecord>;

/** A request log as reads show it: the record, with the display names of who the call was made as and of the agent acting for them. */
export const RequestLogEntry = RequestRecord.extend({
  /** The person's username or the service account's name behind `subject`; null when the gateway knows none. */
  subjectName: z.string().nullable(),
  /** The name behind `actor`, likewise. */
  actorName: z.string().nullable(),
});
export type RequestLogEntry = z.infer<typeof RequestLogEntry>;

const TimeFilter = {
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  collectionId: Id.optional(),
  clientId: Id.optional(),
  /** Only calls that came through this channel (REST, the Gateway MCP, or a virtual MCP server). */
  channel: RequestChannel.optional(),
};

export const MetricsQuery = z.strictObject(TimeFilter);
export type MetricsQuery = z.infer<typeof MetricsQuery>;

export const TimeseriesQuery = z.strictObject({ ...TimeFilter, bucket: z.enum(['minute', 'hour', 'day']).default('hour') });
export type TimeseriesQuery = z.infer<typeof TimeseriesQuery>;

export const TopEndpointsQuery = z.strictObject({
  ...TimeFilter,
  limit: z.coerce.number().int().min(1).max(100).default(10),
  /** For error-endpoints: the minimum error rate (0–1) to count as elevated. */
  minErrorRate: z.coerce.number().min(0).max(1).default(0.05),
});
export type TopEndpointsQuery = z.infer<typeof TopEndpointsQuery>;

/** Every view of the console's overview at once: the filter, the chart bucket and the endpoint rankings' knobs. */
export const DashboardQuery = z.strictObject({
  ...TimeseriesQuery.shape,
  limit: TopEndpointsQuery.shape.limit,
  minErrorRate: TopEndpointsQuery.shape.minErrorRate,
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

export const RequestLogQuery = z.strictObject({
  ...Page,
  ...TimeFilter,
  path: z.string().max(500).optional(),
  requestId: z.string().max(100).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
  method: HttpMethod.optional(),
  profileId: Id.optional(),
  /** Calls made as this person or service account (`user:<id>`, `service:<id>`), as the log's `subject` says. */
  subject: z.string().min(1).max(300).optional(),
  /** Requests to an MCP endpoint of this MCP method (`tools/call`, `tools/list`…). */
  mcpMethod: z.string().min(1).max(64).optional(),
  /** Calls of this tool: as a virtual MCP server shows it (whatever its upstream calls it), or a Gateway MCP tool (`execute_call`). */
  mcpTool: z.string().min(1).max(300).optional(),
  minLatencyMs: z.coerce.number().min(0).optional(),
  maxLatencyMs: z.coerce.number().min(0).optional(),
  /** Substring match in captured request/response bodies. */
  bodyText: z.string().min(1).max(200).optional(),
});
export type RequestLogQuery = z.infer<typeof RequestLogQuery>;
