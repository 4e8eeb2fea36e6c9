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
    // Before the snapshot loads, so the parser's one-off compile memory does not stack on it.
    // The snapshot comes before the request-log writer: its thread's start (~10 MB) then does not
    // stack on the load either, and the collection that opens a large load has less to go through.
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
    const recorder = createRequestLogWriter({
      database: storeOptions(config),
      metrics,
      retentionDays: config.requestLogRetentionDays,
      maxSpoolBytes: config.requestLogSpoolMaxBytes,
      logger,
      // The primary's writer replays the spool and runs retention, once for the whole cluster.
      ...(cluster ? { link: cluster.writer, spoolDir: null, retentionDays: 0 } : {}),
      // OpenTelemetry (GATEHOUSE_OTLP_ENDPOINT): the writer's thread (the primary's, with --workers) builds a
      // SERVER span per proxied or MCP call, its CLIENT spans and a log record per call from the batches it writes.
      ...(config.otel ? { otel: { ...config.otel, fastPaths: config.fastPaths } } : {}),
    });
    closers.push(() => recorder.close());
    // SQLite: the writer's thread, which holds a connection to the same file, checkpoints the WAL; no second thread.
    plane.database.checkpoints?.runIn(() => recorder.checkpoint());
    const otel = recorder.otel;
    if (otel) plane.sendAuditsTo((entry) => otel.audit(entry));
    // The call path only samples and generates the ids it forwards; its records carry the trace.
    // Loaded only when on: the OTel SDK and API cost a node without export ~6 MB of heap (the writer's thread exports).
    const tracer = otel ? (await import('../telemetry/otel/tracer.js')).createCallTracer((span) => otel.span(span), config.otel?.tracesSampleRatio ?? 1) : null;
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
    const calls = recorder;
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
      onMcpTokens: (server, tool, direction, n) => metrics.mcpTokens.inc({ server, tool, direction }, n),
    });
    closers.push(() => gateway.close());
    return { metrics, recorder, calls, snapshots, limiter, gateway, close };
  } catch (err) {
    await close();
    throw err;
  }
}
