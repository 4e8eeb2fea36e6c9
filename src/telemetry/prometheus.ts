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
  /** Counts one finished call (plain counters; Prometheus reads them at scrape time). */
  observeRequest(channel: RequestChannel, method: string, status: number, latencyMs: number): void;
}

/** Creates the metrics and their registry, with Node's default process metrics. */
export function createTelemetryMetrics(): TelemetryMetrics {
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
  return {
    registry,
    otelDropped,
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
