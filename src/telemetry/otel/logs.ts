import { type Attributes, type Context, SeverityNumber } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditEntry, RequestRecord } from '../../core/index.js';
import { ExportBudget, type OnDrop } from './budget.js';
import { AUDIT_SCOPE, REQUEST_LOG_SCOPE } from './scopes.js';
import { createSdkLogExporter } from './sdk-exporters.js';
import { OTEL_DEFAULTS, type OtelSettings } from './settings.js';

/** Request logs and audit entries as OpenTelemetry log records. */
export interface OtelLogs {
  /** One finished call; O(1), never throws, never waits. */
  emitRequestLog(record: RequestRecord): void;
  /** One audit entry; O(1), never throws, never waits. */
  emitAudit(entry: AuditEntry): void;
  /** Sends what is queued now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Lets a record into the batch processor only while the budget has room. */
class BoundedProcessor implements LogRecordProcessor {
  constructor(
    readonly inner: LogRecordProcessor,
    readonly budget: ExportBudget,
  ) {}
  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    if (this.budget.take()) this.inner.onEmit(record, context);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

function countingExporter(inner: LogRecordExporter, budget: ExportBudget): LogRecordExporter {
  return {
    export: (records, done) => inner.export(records, budget.settle(records.length, done)),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  };
}

const nonNull = (attrs: Record<string, unknown>): Attributes =>
  Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null && v !== undefined)) as Attributes;

/**
 * Exports request logs and audit entries to an OTLP/HTTP collector (either protocol) with the
 * official SDK's logger provider and exporter — the library implementation (library-sink.ts; the
 * row encoder is the fast path): batched in the background,
 * bounded by `maxQueueSize` (overflow and failed exports are dropped and reported to `onDrop`), so
 * a slow or absent collector never slows or blocks the caller.
 */
export function createOtelLogs(settings: OtelSettings, onDrop: OnDrop = () => {}): OtelLogs {
  const s = { ...OTEL_DEFAULTS, ...settings };
  const budget = new ExportBudget(s.maxQueueSize, onDrop);
  const exporter = createSdkLogExporter(s);
  const batch = new BatchLogRecordProcessor({
    exporter: countingExporter(exporter, budget),
    // Above our own bound, so the budget (which counts) is what refuses, never the processor.
    maxQueueSize: s.maxQueueSize + s.maxExportBatchSize,
    maxExportBatchSize: s.maxExportBatchSize,
    scheduledDelayMillis: s.scheduledDelayMillis,
    exportTimeoutMillis: s.exportTimeoutMillis,
  });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': s.serviceName }),
    processors: [new BoundedProcessor(batch, budget)],
  });
  const requests = provider.getLogger(REQUEST_LOG_SCOPE);
  const audits = provider.getLogger(AUDIT_SCOPE);
  return {
    emitRequestLog(r) {
      try {
        requests.emit({
          timestamp: new Date(r.time),
          severityNumber: r.status >= 500 ? SeverityNumber.ERROR : r.status >= 400 ? SeverityNumber.WARN : SeverityNumber.INFO,
          severityText: r.status >= 500 ? 'ERROR' : r.status >= 400 ? 'WARN' : 'INFO',
          eventName: 'gatehouse.request',
          body: `${r.method} ${r.path} ${r.status}`,
          attributes: nonNull({
            'gatehouse.log.id': r.id,
            'gatehouse.request.id': r.requestId,
            'gatehouse.channel': r.channel,
            'gatehouse.collection.id': r.collectionId,
            'gatehouse.proxy.id': r.proxyId,
            'gatehouse.endpoint.id': r.endpointId,
            'gatehouse.client.id': r.clientId,
            'gatehouse.profile.id': r.profileId,
            'http.request.method': r.method,
            'url.path': r.path,
            'http.response.status_code': r.status,
            'gatehouse.latency_ms': r.latencyMs,
            'gatehouse.upstream_latency_ms': r.upstreamLatencyMs,
            'http.request.body.size': r.bytesIn,
            'http.response.body.size': r.bytesOut,
            'client.address': r.ip,
            'user_agent.original': r.userAgent,
            'error.type': r.errorCode,
            'gatehouse.mcp.client': r.mcpClient,
            'gatehouse.mcp.tool': r.mcpTool,
            'enduser.id': r.subject,
            'gatehouse.actor': r.actor,
            'mcp.method.name': r.mcpMethod,
            'gatehouse.mcp.tokens': r.mcpTokens ?? null,
            'gatehouse.mcp.server': r.mcpServer ?? null,
          }),
        });
      } catch {
        onDrop('overflow', 1);
      }
    },
    emitAudit(e) {
      try {
        audits.emit({
          timestamp: new Date(e.time),
          severityNumber: e.outcome === 'success' ? SeverityNumber.INFO : SeverityNumber.WARN,
          severityText: e.outcome === 'success' ? 'INFO' : 'WARN',
          eventName: 'gatehouse.audit',
          body: `${e.actor.name} ${e.action} ${e.outcome}`,
          attributes: nonNull({
            'gatehouse.audit.id': e.id,
            'gatehouse.audit.seq': e.seq,
            'gatehouse.audit.hash': e.hash,
            'gatehouse.actor.subject': e.actor.subject,
            'gatehouse.actor.name': e.actor.name,
            'gatehouse.actor.kind': e.actor.kind,
            'gatehouse.channel': e.channel,
            'gatehouse.client_app': e.clientApp,
            'client.address': e.ip,
            'gatehouse.action': e.action,
            'gatehouse.resource.type': e.resourceType,
            'gatehouse.resource.id': e.resourceId,
            'gatehouse.outcome': e.outcome,
            'http.response.status_code': e.status,
            'error.type': e.errorCode,
            'gatehouse.request.id': e.requestId,
          }),
        });
      } catch {
        onDrop('overflow', 1);
      }
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
