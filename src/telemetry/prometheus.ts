import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RequestChannel } from '../core/index.js';
import { CallTallies } from './call-tallies.js';

/** Gatehouse's Prometheus metrics, on a registry of their own (never prom-client's global one). */
export interface TelemetryMetrics {
  registry: Registry;
  /** Request-log records that never reached the database, by reason: overflow, write_error, invalid, closed. */
  logsDropped: Counter<'reason'>;
  logWriteErrors: Counter;
  /** Bytes of request logs spooled on local disk, waiting for the database (0 while it keeps up). */
  logSpoolBytes: Gauge;
  /** The gateway increments this when it lets a call through because the rate limiter was unreachable. */
  rateLimiterFailOpen: Counter;
  /** OpenTelemetry records and spans that never reached the collector, by signal (logs, traces) and reason (overflow, export_failed). */
  otelDropped: Counter<'signal' | 'reason'>;
  /** What guardrail workflow nodes did, by node type, outcome (redacted, blocked, flagged, held, approved, denied) and kind found (`email`; `none` for a policy decision). */
  guardrailOutcomes: Counter<'type' | 'outcome' | 'kind'>;
  /**
   * Tokens (o200k_base) virtual servers showed models: `listed` (tool listings, tool '') and
   * `returned` (tool results), by server and tool as the server shows it. Never by user: the label
   * values are the admin's configuration, so their number is bounded.
   */
  mcpTokens: Counter<'server' | 'tool' | 'direction'>;
  /** Where `gatehouse_credential_expiry_seconds` reads, at scrape time, what expires when. */
  watchCredentialExpiry(source: () => readonly ExpiringCredential[]): void;
  /** Where the `gatehouse_mcp_upstream_*` gauges read, at scrape time, how each upstream MCP server has been answering this node. */
  watchMcpUpstreams(source: () => readonly McpUpstreamHealth[]): void;
  /** Counts one finished call (plain counters; Prometheus reads them at scrape time). */
  observeRequest(channel: RequestChannel, method: string, status: number, latencyMs: number): void;
}

/** A credential or certificate that stops working at a known time. */
export interface ExpiringCredential {
  /** What it is: `backend` (a backend credential's certificate), `profile` (an mtls profile's fingerprint), `listener` (the gateway's TLS certificate). */
  kind: string;
  name: string;
  /** When it expires (ms since the epoch). */
  expiresAt: number;
}

/** An upstream MCP server's health as one node saw it (see McpServerHealth). */
export interface McpUpstreamHealth {
  name: string;
  lastSuccessAt: string | null;
  lastError: { at: string } | null;
  session: string;
  toolsCount: number | null;
  restarts: number | null;
}

const SESSION_STATES = ['open', 'stateless', 'connecting', 'idle', 'failed'] as const;
const seconds = (iso: string) => Math.round(Date.parse(iso) / 1_000);

/** The `gatehouse_mcp_upstream_*` gauges, read from `sources` at scrape time. */
function mcpUpstreamGauges(registers: Registry[], sources: Array<() => readonly McpUpstreamHealth[]>): void {
  const each = (fn: (u: McpUpstreamHealth) => void) => {
    for (const source of sources) for (const u of source()) fn(u);
  };
  const gauge = (name: string, help: string, value: (u: McpUpstreamHealth) => number | null, labels: readonly string[] = ['server']) =>
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers,
      aggregator: 'max',
      collect() {
        this.reset();
        each((u) => {
          const v = value(u);
          if (v !== null) this.set({ server: u.name }, v);
        });
      },
    });
  gauge('gatehouse_mcp_upstream_last_success_timestamp_seconds', 'When an upstream MCP server last answered this node (Unix seconds).', (u) =>
    u.lastSuccessAt ? seconds(u.lastSuccessAt) : null,
  );
  gauge('gatehouse_mcp_upstream_last_error_timestamp_seconds', 'When an upstream MCP server last failed a call of this node (Unix seconds).', (u) =>
    u.lastError ? seconds(u.lastError.at) : null,
  );
  gauge('gatehouse_mcp_upstream_tools', 'Tools an upstream MCP server offered when last listed.', (u) => u.toolsCount);
  gauge('gatehouse_mcp_upstream_restarts', 'Restarts of a supervised (stdio) upstream MCP server.', (u) => u.restarts);
  new Gauge({
    name: 'gatehouse_mcp_upstream_session',
    help: "The state of this node's sessions of an upstream MCP server: 1 for the state it is in.",
    labelNames: ['server', 'state'] as const,
    registers,
    aggregator: 'max',
    collect() {
      this.reset();
      each((u) => {
        for (const state of SESSION_STATES) this.set({ server: u.name, state }, u.session === state ? 1 : 0);
      });
    },
  });
}

/** Creates the metrics and their registry, with Node's default process metrics; `worker` names a `serve --workers` worker. */
export function createTelemetryMetrics(opts: { worker?: string } = {}): TelemetryMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const tallies = new CallTallies();
  tallies.register(registry);
  const logsDropped = new Counter({
    name: 'gatehouse_request_logs_dropped_total',
    help: 'Request-log records dropped instead of written, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const logWriteErrors = new Counter({
    name: 'gatehouse_request_log_write_errors_total',
    help: 'Request-log batches that failed to write.',
    registers,
  });
  const logSpoolBytes = new Gauge({
    name: 'gatehouse_request_log_spool_bytes',
    help: 'Request logs spooled on local disk while the database cannot take them.',
    registers,
    // Every worker of a cluster reports the one spool of its writer: summed, it would count twice.
    aggregator: 'max',
  });
  const rateLimiterFailOpen = new Counter({
    name: 'gatehouse_rate_limiter_fail_open_total',
    help: 'Calls let through because the rate limiter was unavailable.',
    registers,
  });
  const otelDropped = new Counter({
    name: 'gatehouse_otel_dropped_total',
    help: 'OpenTelemetry log records and spans dropped instead of exported, by signal and reason.',
    labelNames: ['signal', 'reason'] as const,
    registers,
  });
  const guardrailOutcomes = new Counter({
    name: 'gatehouse_guardrail_outcomes_total',
    help: 'Guardrail outcomes of workflow nodes: by node type, outcome and kind found (matches counted, never their values).',
    labelNames: ['type', 'outcome', 'kind'] as const,
    registers,
  });
  const mcpTokens = new Counter({
    name: 'gatehouse_mcp_tokens_total',
    help: 'Tokens (o200k_base) virtual MCP servers showed models: listed (tool listings) and returned (tool results), by server and tool.',
    labelNames: ['server', 'tool', 'direction'] as const,
    registers,
  });
  const sources: Array<() => readonly ExpiringCredential[]> = [];
  new Gauge({
    name: 'gatehouse_credential_expiry_seconds',
    help: 'Seconds until a credential or certificate expires (negative once it has), by kind and name.',
    labelNames: ['kind', 'name'] as const,
    registers,
    aggregator: 'first',
    collect() {
      this.reset();
      const now = Date.now();
      for (const source of sources) for (const c of source()) this.set({ kind: c.kind, name: c.name }, Math.round((c.expiresAt - now) / 1_000));
    },
  });
  const upstreamSources: Array<() => readonly McpUpstreamHealth[]> = [];
  mcpUpstreamGauges(registers, upstreamSources);
  const worker = opts.worker;
  if (worker !== undefined)
    new Counter({
      name: 'gatehouse_worker_requests_total',
      help: 'Calls handled by each worker of `serve --workers`.',
      labelNames: ['worker'] as const,
      registers,
      collect() {
        this.reset();
        this.inc({ worker }, tallies.total());
      },
    });
  return {
    registry,
    watchCredentialExpiry: (source) => {
      sources.push(source);
    },
    watchMcpUpstreams: (source) => {
      upstreamSources.push(source);
    },
    otelDropped,
    guardrailOutcomes,
    mcpTokens,
    logsDropped,
    logWriteErrors,
    logSpoolBytes,
    rateLimiterFailOpen,
    observeRequest: (channel, method, status, latencyMs) => tallies.observe(channel, method, status, latencyMs),
  };
}

/** The registry in Prometheus text exposition format (serve it with `registry.contentType`). */
export function renderMetrics(registry: Registry): Promise<string> {
  return registry.metrics();
}
