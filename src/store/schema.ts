import type { Generated } from 'kysely';

/** Config resources (collections, proxies, …) as JSON documents with their unique and lookup keys. */
export interface ResourceTable {
  type: string;
  id: string;
  /** Unique per type: slug, name, base path, or a compound key. */
  key: string;
  parent_id: string | null;
  /** The collection a resource belongs to, for collection-scoped roles. */
  collection_id: string | null;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CredentialTable {
  id: string;
  profile_id: string;
  client_id: string;
  token_hash: string;
  prefix: string;
  status: string;
  expires_at: string | null;
  grace_until: string | null;
  created_at: string;
}

export interface SecretTable {
  owner_type: string;
  owner_id: string;
  ciphertext: string;
  created_at: string;
}

/** A redeemed ID-JAG: a digest of its issuer and `jti`, kept until the assertion expires. */
export interface IdJagReplayTable {
  key: string;
  expires_at: string;
}

/** The mapped groups a person carried at their last sign-in through one enterprise IdP (migration 026). */
export interface SignInGroupsTable {
  user_id: string;
  idp_id: string;
  /** A JSON array of group names. */
  groups: string;
  signed_in_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface AuditTable {
  seq: number;
  id: string;
  time: string;
  actor_subject: string;
  actor_name: string;
  actor_kind: string;
  channel: string;
  client_app: string | null;
  ip: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: string;
  status: number;
  error_code: string | null;
  request_id: string | null;
  diff: string | null;
  prev_hash: string;
  hash: string;
}

/** oidc-provider's models (sessions, grants, codes, refresh tokens, …). */
export interface OidcPayloadTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}

/** One upstream MCP session a user's federated calls continue, on any node (see repositories/mcp-upstream-sessions). */
export interface McpUpstreamSessionTable {
  key: string;
  upstream_id: string;
  upstream_version: number;
  /** The upstream's `Mcp-Session-Id`, sealed. */
  session: string;
  protocol_version: string;
  created_at: string;
}

export interface McpUpstreamHealthTable {
  server_id: string;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  last_reinitialized_at: string | null;
  session: string;
  tools_count: number | null;
  restarts: number | null;
  updated_at: string;
}

export interface MigrationLockProbe {
  id: Generated<number>;
}

/**
 * Raw request logs, stored a batch at a time: one row per segment of up to 500 calls, encoded as
 * the writer's batch (src/telemetry/record-batch.ts) with its string table, plus a summary that lets
 * a search skip segments that cannot match (src/telemetry/segments.ts). Pruned after the retention window.
 */
export interface RequestLogSegmentTable {
  /** A UUIDv7 taken when the segment was written. */
  id: string;
  /** The earliest and latest call time in the segment (canonical ISO). */
  first_time: string;
  last_time: string;
  row_count: number;
  /** Every status in the segment, comma-separated with leading and trailing commas: `,200,404,`. */
  statuses: string;
  min_latency_ms: number;
  max_latency_ms: number;
  /** 1 when some call in the segment has a captured body. */
  has_bodies: number;
  /** The batch's string table as a JSON array: every repeated text value (ids, paths, request ids) once. */
  strings: string;
  /** The row encoding (see telemetry/record-batch.ts): 1 without the workflow field, 2 with it, 3 with subject and actor too. */
  format: number;
  data: Uint8Array;
}

/** A latency histogram's buckets as columns (src/telemetry/histogram.ts). */
export interface LatencyHistogramColumns {
  h0: number;
  h1: number;
  h2: number;
  h3: number;
  h4: number;
  h5: number;
  h6: number;
  h7: number;
  h8: number;
  h9: number;
  h10: number;
  h11: number;
  h12: number;
  h13: number;
}

/** The counters every rollup row carries: calls, errors, bytes, latency sum and the latency histogram. */
export interface MetricCounterColumns extends LatencyHistogramColumns {
  count: number;
  errors: number;
  bytes_in: number;
  bytes_out: number;
  latency_sum_ms: number;
}

/**
 * Request counts per time bucket and key (src/telemetry/rollups.ts). Key columns use '' for "none"
 * and client_id '*' for "all clients", so one unique index works on both dialects.
 */
export interface MetricRollupTable extends MetricCounterColumns {
  resolution: string;
  bucket: string;
  client_id: string;
  collection_id: string;
  endpoint_id: string;
  method: string;
  status: number;
  /** The channel calls came through; '' for rows written before rollups had one. */
  channel: string;
}

/** Request counts per time bucket, client and collection only: what overview and timeseries read. Same key conventions as metric_rollups. */
export interface MetricTotalTable extends MetricCounterColumns {
  resolution: string;
  bucket: string;
  client_id: string;
  collection_id: string;
  channel: string;
  client_errors: number;
  server_errors: number;
}

/** Federated tool calls per time bucket, virtual server, tool, subject and outcome (src/telemetry/mcp-rollups.ts); '' for an unknown subject. */
export interface McpRollupTable extends LatencyHistogramColumns {
  resolution: string;
  bucket: string;
  /** The virtual MCP server's slug. */
  server: string;
  /** The tool as the virtual server shows it. */
  tool: string;
  /** `user:<id>` or `service:<id>`; '' when not known. */
  subject: string;
  /** `ok`, or where the call failed: `gateway`, `auth`, `upstream`. */
  outcome: string;
  /** The agent that made the calls for the subject (`service:<id>`); '' for the subject's own calls (migration 016). */
  actor: string;
  /** The MCP method counted: `tools/call`, `tools/list`, `prompts/get`… (migration 017). */
  method: string;
  count: number;
  /** Calls an agent made for the subject (token exchange). */
  agent_calls: number;
  latency_sum_ms: number;
  /** Tokens (o200k_base) of what the requests showed the model: tool results, listings (migration 026). */
  tokens: number;
}

/** Guardrail outcomes of federated calls (migration 017): kind '' counts calls, a kind counts what was found of it. */
export interface McpGuardrailRollupTable {
  resolution: string;
  bucket: string;
  server: string;
  tool: string;
  subject: string;
  actor: string;
  /** `blocked`, `redacted`, `flagged`, `approved`, `denied` or `held`. */
  outcome: string;
  kind: string;
  count: number;
}

/** A person's sealed tokens for one `oauth_per_user` upstream MCP server. */
export interface McpConnectionTable {
  server_id: string;
  subject: string;
  username: string;
  sealed: string;
  scope: string;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An upstream tool definition by the pin it was approved under (migration 016). */
export interface McpToolDefinitionTable {
  pin: string;
  definition: string;
  created_at: string;
}

/** A call held for a person's approval, bound to the digest of its caller, target and arguments (migration 010). */
export interface ApprovalTable {
  id: string;
  digest: string;
  status: string;
  caller: string;
  client_id: string | null;
  target: string;
  arguments_preview: string;
  reason: string | null;
  workflow: string;
  node: string;
  requested_at: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  used_at: string | null;
  /** The concrete call (null on rows from before approvals were bound to it). */
  method: string | null;
  path: string | null;
  query: string | null;
  body_sha256: string | null;
  body_bytes: number | null;
  mcp_server: string | null;
  mcp_tool: string | null;
  /** The body or MCP arguments as the approver reads them: pretty-printed, secrets redacted. */
  call_text: string | null;
  call_bytes: number | null;
  /** The bound forwarded headers as JSON, and where the call goes (migration 025; null on older rows). */
  bound_headers: string | null;
  upstream: string | null;
}

/** A long management operation run in the background (migration 024). */
export interface JobTable {
  id: string;
  operation: string;
  state: string;
  phase: string;
  created_by: string;
  created_by_name: string | null;
  channel: string;
  request_id: string;
  /** The node running it (a random id per process). */
  node: string;
  items_planned: number | null;
  items_applied: number;
  created_at: string;
  started_at: string | null;
  /** When the current phase began: the rate, hence the ETA, is measured from there. */
  phase_started_at: string | null;
  /** The running node's heartbeat: a running job not updated for long is abandoned. */
  updated_at: string;
  finished_at: string | null;
  audit_entries: number | null;
  audit_first_seq: number | null;
  audit_last_seq: number | null;
  result: string | null;
  error: string | null;
}

export interface DB {
  resources: ResourceTable;
  credentials: CredentialTable;
  secrets: SecretTable;
  users: UserTable;
  audit_log: AuditTable;
  oidc_payloads: OidcPayloadTable;
  settings: SettingTable;
  request_log_segments: RequestLogSegmentTable;
  metric_rollups: MetricRollupTable;
  metric_totals: MetricTotalTable;
  mcp_upstream_sessions: McpUpstreamSessionTable;
  id_jag_replays: IdJagReplayTable;
  sign_in_groups: SignInGroupsTable;
  mcp_rollups: McpRollupTable;
  mcp_guardrail_rollups: McpGuardrailRollupTable;
  mcp_connections: McpConnectionTable;
  mcp_upstream_health: McpUpstreamHealthTable;
  mcp_tool_definitions: McpToolDefinitionTable;
  approvals: ApprovalTable;
  jobs: JobTable;
}
