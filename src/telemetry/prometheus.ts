import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { HTTP_METHODS, type RequestChannel } from '../core/index.js';
import { LATENCY_BOUNDS_MS } from './histogram.js';

type RequestLabels = 'channel' | 'method' | 'status_class';

/** Gatehouse's Prometheus metrics, on a registry of their own (never prom-client's global one). */
export interface TelemetryMetrics {
  registry: Registry;
  requests: Counter<RequestLabels>;
  requestDuration: Histogram<'channel'>;
  /** Request-log records that never reached the database, by reason: overflow, write_error, invalid, closed. */
  logsDropped: Counter<'reason'>;
  logWriteErrors: Counter;
  /** The gateway increments this when it lets a call through because the rate limiter was unreachable. */
  rateLimiterFailOpen: Counter;
  /** Counts one finished call; label children are cached, so this is a map lookup and two increments. */
  observeRequest(channel: RequestChannel, method: string, status: number, latencyMs: number): void;
}

const KNOWN_METHODS = new Set<string>(HTTP_METHODS);

/** Creates the metrics and their registry, with Node's default process metrics. */
export function createTelemetryMetrics(): TelemetryMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: 'gatehouse_requests_total',
    help: 'Calls handled, by channel, method and status class.',
    labelNames: ['channel', 'method', 'status_class'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'gatehouse_request_duration_seconds',
    help: 'Total call latency as the caller saw it.',
    labelNames: ['channel'] as const,
    buckets: LATENCY_BOUNDS_MS.map((ms) => ms / 1000),
    registers,
  });
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
  const rateLimiterFailOpen = new Counter({
    name: 'gatehouse_rate_limiter_fail_open_total',
    help: 'Calls let through because the rate limiter was unavailable.',
    registers,
  });

  const requestChildren = new Map<string, { inc(): void }>();
  const durationChildren = new Map<string, { observe(v: number): void }>();
  return {
    registry,
    requests,
    requestDuration,
    logsDropped,
    logWriteErrors,
    rateLimiterFailOpen,
    observeRequest(channel, method, status, latencyMs) {
      // Unknown methods fold into OTHER so a caller cannot mint label values.
      const m = KNOWN_METHODS.has(method) ? method : 'OTHER';
      const statusClass = status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
      const key = `${channel} ${m} ${statusClass}`;
      let counter = requestChildren.get(key);
      if (!counter) {
        counter = requests.labels(channel, m, statusClass);
        requestChildren.set(key, counter);
      }
      counter.inc();
      let histogram = durationChildren.get(channel);
      if (!histogram) {
        histogram = requestDuration.labels(channel);
        durationChildren.set(channel, histogram);
      }
      histogram.observe(latencyMs / 1000);
    },
  };
}

/** The registry in Prometheus text exposition format (serve it with `registry.contentType`). */
export function renderMetrics(registry: Registry): Promise<string> {
  return registry.metrics();
}
