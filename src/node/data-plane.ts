import type { GatehouseConfig } from '../core/index.js';
import {
  createGateway,
  createMemoryCache,
  createSnapshotHolder,
  expiringCredentials,
  type Gateway,
  openRedisCache,
  type SnapshotHolder,
  warmResponseParser,
} from '../gateway/index.js';
import { createMemoryLimiter, type Limiter, openRedisLimiter } from '../gateway/limits/index.js';
import { createRequestLogWriter, createTelemetryMetrics, type RequestLogWriter, type TelemetryLogger, type TelemetryMetrics } from '../telemetry/index.js';
import { startOtelExport, withOtelLogs } from '../telemetry/otel/index.js';
import type { Recorder } from '../telemetry/recorder.js';
import { consumeApproval, insertApproval } from '../store/repositories/approvals.js';
import type { ClusterWorker } from './cluster/worker.js';
import { type ManagementPlane, storeOptions } from './plane.js';

/** The data plane of one node: the request-log writer, the live config snapshot, the limiter and the gateway. */
export interface DataPlane {
  metrics: TelemetryMetrics;
  recorder: RequestLogWriter;
  /** Where every call's request-log entry goes: the writer, and OTel log records when export is on. */
  calls: Recorder;
  snapshots: SnapshotHolder;
  limiter: Limiter;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * Starts the data plane over an open management plane; committed writes then wait for the snapshot
 * to have them. In a `serve --workers` worker, the limit counters and the request-log writer are the
 * primary's (`cluster`).
 */
export async function startDataPlane(
  config: GatehouseConfig,
  plane: ManagementPlane,
  logger: TelemetryLogger,
  cluster?: ClusterWorker,
  /** Where people reach the console (approval links point there); the admin listener's base URL. */
  links?: { console: string },
): Promise<DataPlane> {
  const log = (msg: string, err: unknown) => logger.error({ err }, msg);
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => log('data plane shutdown step failed', err));
  };
  try {
    const metrics = createTelemetryMetrics(cluster ? { worker: String(cluster.id) } : {});
    cluster?.expose(metrics.registry);
    const recorder = createRequestLogWriter({
      database: storeOptions(config),
      metrics,
      retentionDays: config.requestLogRetentionDays,
      maxSpoolBytes: config.requestLogSpoolMaxBytes,
      logger,
      // The primary's writer replays the spool and runs retention, once for the whole cluster.
      ...(cluster ? { link: cluster.writer, spoolDir: null, retentionDays: 0 } : {}),
    });
    closers.push(() => recorder.close());
    // OpenTelemetry (GATEHOUSE_OTLP_ENDPOINT): a span per proxied or MCP call, request logs and audit
    // entries as log records; shut down after the gateway and the writer's last flush.
    const otel = config.otel ? startOtelExport(config.otel, (signal, reason, n) => metrics.otelDropped.inc({ signal, reason }, n)) : null;
    if (otel) {
      closers.splice(closers.length - 1, 0, () => otel.shutdown());
      plane.sendAuditsTo((entry) => otel.logs.emitAudit(entry));
    }
    const tracer = otel?.tracer ?? null;
    // Before the snapshot loads, so the parser's one-off compile memory does not stack on it.
    await warmResponseParser().catch((err: unknown) => log('warming the upstream response parser failed', err));
    const snapshots = await createSnapshotHolder({
      db: plane.database.db,
      feed: plane.changes,
      openSecret: (sealed) => plane.secrets.open(sealed),
      onInvalidRow: (type, id, reason) => logger.error({ type, id, reason }, 'a stored resource is left out of the live configuration'),
      onError: (err) => log('snapshot rebuild failed', err),
    });
    closers.push(async () => snapshots.close());
    metrics.watchCredentialExpiry(() => expiringCredentials(snapshots.current()));
    plane.applyCommitsWith((change) => snapshots.apply(change));
    const limiter: Limiter = config.redisUrl
      ? await openRedisLimiter({
          url: config.redisUrl,
          keyPrefix: `${config.redisPrefix}rl:`,
          failMode: config.limiterFailMode,
          onFailOpen: () => metrics.rateLimiterFailOpen.inc(),
        })
      : (cluster?.limiter ?? createMemoryLimiter());
    closers.push(() => limiter.close());
    // Workflow cache nodes share Redis with the limiter when it is configured, so every node serves the same entries.
    const responseCache = config.redisUrl
      ? await openRedisCache({ url: config.redisUrl, prefix: `${config.redisPrefix}cache:` })
      : createMemoryCache(config.responseCacheMaxBytes);
    const calls = otel ? withOtelLogs(recorder, otel.logs) : recorder;
    const gateway = createGateway({
      snapshots,
      limiter,
      recorder: calls,
      trustProxy: config.trustProxy,
      responseCache,
      tokenEndpoints: config.tokenEndpoints,
      log,
      tracer,
      approvals: {
        store: {
          insert: (row) => insertApproval(plane.database.db, row),
          consume: (id, at) => consumeApproval(plane.database.db, id, at),
        },
        link: (id) => `${links?.console ?? ''}/console/approvals/${id}`,
      },
      onGuardrail: (type, outcome, kind, n) => metrics.guardrailOutcomes.inc({ type, outcome, kind }, n),
    });
    closers.push(() => gateway.close());
    return { metrics, recorder, calls, snapshots, limiter, gateway, close };
  } catch (err) {
    await close();
    throw err;
  }
}
