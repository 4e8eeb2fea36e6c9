import { sql } from 'kysely';
import pino from 'pino';
import { type AuditEntry, GatehouseConfig, type GatehouseConfigInput } from '../core/index.js';
import {
  type AuthorizationServer,
  createAuthorizationServer,
  createExternalVerifier,
  createLocalVerifier,
  deleteExpiredPayloads,
  MANAGEMENT_SCOPE,
  type TokenVerifier,
} from '../identity/index.js';
import { type FirstAdmin, ensureFirstAdmin } from '../management/bootstrap.js';
import { Executor } from '../management/executor.js';
import { createRegistry } from '../management/registry.js';
import { openDatabase } from '../store/database.js';
import { openChangeFeed } from '../store/open-change-feed.js';
import { checkMasterKey, loadMasterKey } from '../store/master-key.js';
import { migrate } from '../store/migrate.js';
import { SecretBox } from '../store/secret-box.js';
import { createGateway } from '../gateway/gateway.js';
import { createMemoryLimiter } from '../gateway/limits/memory.js';
import { createSnapshotHolder } from '../gateway/snapshot/holder.js';
import { warmResponseParser } from '../gateway/upstream/warm-parser.js';
import { createTelemetryMetrics } from '../telemetry/prometheus.js';
import { createRequestLogWriter } from '../telemetry/writer.js';
import { createOtelLogs, withOtelLogs } from '../telemetry/otel/index.js';
import { startOrdersApi } from '../demo/orders-api.js';
import { seedDemo } from '../demo/seed.js';
import { createManagementMcp } from '../mcp/management/handler.js';
import { adminApiResource, buildAdminApp } from './admin-app.js';
import { createDispatcher, type Mounts } from './dispatcher.js';
import { createGatewayMcp } from '../mcp/catalog/handler.js';
import { configureOpenApiImport } from '../management/openapi/settings.js';
import { createHealth } from './health.js';
import { closeServer, listen } from './listen.js';

export interface RunningGatehouse {
  config: GatehouseConfig;
  urls: { proxy: string; admin: string; adminApi: string; apiReference: string; issuer: string; login?: string };
  /** Set on first start only, when the gateway created the admin user. */
  firstAdmin: FirstAdmin | null;
  /** With `demo`: the sample upstream and a call that works as printed. */
  demo: { upstream: string; token: string; curl: string } | null;
  executor: Executor;
  /** Deletes expired OAuth state now (it also runs every ten minutes). */
  sweepExpired(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a gateway node: store, migrations, identity, management plane, listeners. */
export async function startGatehouse(input: GatehouseConfigInput): Promise<RunningGatehouse> {
  const config = GatehouseConfig.parse(input);
  const logger = pino({ level: config.logLevel, base: { service: 'gatehouse' } });
  const log = (msg: string, err: unknown) => logger.error({ err }, msg);

  const database = openDatabase({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}),
  });
  const closers: Array<() => Promise<void>> = [() => database.close()];
  // Listeners stop first, so nothing new arrives while the pipeline's parts are closing.
  const listeners: Array<() => Promise<void>> = [];
  let mounts: Mounts | undefined;
  const close = async () => {
    if (mounts) mounts.ready = false;
    await Promise.all(listeners.map((c) => c().catch((err) => log('closing a listener failed', err))));
    for (const c of closers.reverse()) await c().catch((err) => log('shutdown step failed', err));
  };
  try {
    await migrate(database);
    const secrets = new SecretBox(loadMasterKey(config.dataDir, config.secretKey).key);
    await checkMasterKey(database.db, secrets);

    let started = false;
    mounts = {
      ready: false,
      health: createHealth(async () => {
        if (!started) return false;
        await sql`select 1`.execute(database.db);
        return true;
      }),
    };
    const split = config.adminPort !== undefined;
    const main = await listen(createDispatcher({ admin: !split, proxy: true }, mounts), config.host, config.port);
    listeners.push(() => closeServer(main.server));
    let adminUrl = main.url;
    if (split) {
      const admin = await listen(createDispatcher({ admin: true, proxy: false }, mounts), config.adminHost ?? config.host, config.adminPort!);
      listeners.push(() => closeServer(admin.server));
      adminUrl = admin.url;
    }
    const proxyBase = config.publicUrl?.replace(/\/$/, '') ?? main.url;
    const adminBase = config.adminPublicUrl?.replace(/\/$/, '') ?? (split ? adminUrl : proxyBase);

    const sweepExpired = async () => {
      await deleteExpiredPayloads(database.db).catch((err) => log('sweeping expired OAuth state failed', err));
    };
    const adminResource = adminApiResource(adminBase);
    const managementResource = `${adminBase}/management/mcp`;
    let issuer: string;
    let verifier: TokenVerifier;
    let oauth: AuthorizationServer | undefined;
    if (config.externalIdp) {
      issuer = config.externalIdp.issuer;
      verifier = await createExternalVerifier({
        issuer,
        audiences: {
          [adminResource]: config.externalIdp.adminApiAudience ?? adminResource,
          [managementResource]: config.externalIdp.managementMcpAudience ?? managementResource,
        },
        subjectClaim: config.externalIdp.subjectClaim,
        groupsClaim: config.externalIdp.groupsClaim,
        ...(config.externalIdp.nameClaim ? { nameClaim: config.externalIdp.nameClaim } : {}),
        allowHttp: true,
      });
    } else {
      issuer = `${adminBase}/oauth`;
      oauth = await createAuthorizationServer({
        db: database.db,
        secrets,
        issuer,
        resources: [adminResource, managementResource],
        defaultResource: adminResource,
        managementResource,
        allowPrivateCimdHosts: config.oauth.allowPrivateCimdHosts,
        dcrRateLimitPerMinute: config.oauth.dcrRateLimitPerMinute,
      });
      const server = oauth;
      verifier = createLocalVerifier({ issuer, jwks: () => server.jwks() });
      // Anyone can start an authorization (and so create state); expired state must not pile up.
      const sweeper = setInterval(() => void sweepExpired(), 10 * 60_000);
      sweeper.unref();
      closers.push(async () => clearInterval(sweeper));
    }

    const changes = await openChangeFeed(config, (err) => log('change feed error', err));
    closers.push(() => changes.close());
    let applyLocally: () => Promise<void> = async () => {};
    const metrics = createTelemetryMetrics();
    // OpenTelemetry (GATEHOUSE_OTLP_ENDPOINT): audit entries and request logs as log records.
    const otelLogs = config.otel ? createOtelLogs(config.otel, (reason, n) => metrics.otelDropped.inc({ signal: 'logs', reason }, n)) : null;
    if (otelLogs) closers.push(() => otelLogs.shutdown());
    const executor = new Executor({
      database,
      registry: createRegistry(),
      secrets,
      changes,
      afterCommit: () => applyLocally(),
      ...(otelLogs ? { onAudit: (entry: AuditEntry) => otelLogs.emitAudit(entry) } : {}),
      log,
    });
    const firstAdmin = oauth
      ? await ensureFirstAdmin(
          executor,
          async () => Number((await database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
          config.adminPassword,
        )
      : null;

    const recorder = createRequestLogWriter({
      // The writer's worker opens its own connection with the same options as `database` above.
      database: {
        dataDir: config.dataDir,
        ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
        ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}),
      },
      metrics,
      retentionDays: config.requestLogRetentionDays,
      logger: { error: (obj, msg) => logger.error(obj, msg) },
    });
    closers.push(() => recorder.close());
    // Before the snapshot loads, so the parser's one-off compile memory does not stack on it.
    await warmResponseParser().catch((err: unknown) => log('warming the upstream response parser failed', err));
    const snapshots = await createSnapshotHolder({ db: database.db, feed: changes, onError: (err) => log('snapshot rebuild failed', err) });
    closers.push(async () => snapshots.close());
    applyLocally = () => snapshots.refresh();
    // ioredis is loaded only when Redis is configured.
    const limiter = config.redisUrl
      ? (await import('../gateway/limits/redis.js')).createRedisLimiter({
          url: config.redisUrl,
          keyPrefix: `${config.redisPrefix}rl:`,
          failMode: config.limiterFailMode,
          onFailOpen: () => metrics.rateLimiterFailOpen.inc(),
        })
      : createMemoryLimiter();
    closers.push(() => limiter.close());
    const gateway = createGateway({ snapshots, limiter, recorder: otelLogs ? withOtelLogs(recorder, otelLogs) : recorder, trustProxy: config.trustProxy });
    closers.push(() => gateway.close());

    const { app, handler } = await buildAdminApp({
      executor,
      verifier,
      adminBase,
      issuer,
      bodyLimitBytes: config.bodyLimitBytes,
      metrics: metrics.registry,
      managementResource,
      managementScope: oauth ? MANAGEMENT_SCOPE : undefined,
      log,
    });
    closers.push(() => app.close());
    mounts.admin = handler;
    mounts.managementMcp = createManagementMcp({
      executor,
      verifier,
      resource: managementResource,
      ...(oauth ? { requiredScope: MANAGEMENT_SCOPE } : {}),
      allowedOrigins: [new URL(adminBase).origin],
      maxBodyBytes: config.bodyLimitBytes,
      log,
    });
    mounts.proxy = gateway.handle;
    configureOpenApiImport(config.openapiImport);
    const gatewayMcp = createGatewayMcp({
      gateway,
      snapshots,
      limiter,
      db: database.db,
      publicUrl: proxyBase,
      allowedOrigins: config.mcp.allowedOrigins,
      allowedHosts: config.mcp.allowedHosts,
      loopbackListener: ['127.0.0.1', 'localhost', '::1'].includes(config.host),
      trustProxy: config.trustProxy,
      maxBodyBytes: config.bodyLimitBytes,
      maxResultBytes: config.mcp.maxResultBytes,
      requestTimeoutMs: config.mcp.requestTimeoutMs,
      log,
    });
    closers.push(() => gatewayMcp.close());
    mounts.gatewayMcp = gatewayMcp.handle;
    if (oauth) mounts.oauth = oauth.handle.bind(oauth);
    let demo: RunningGatehouse['demo'] = null;
    if (config.demo) {
      const orders = await startOrdersApi();
      closers.push(() => orders.close());
      const seeded = await seedDemo(executor, orders.url);
      demo = {
        upstream: orders.url,
        token: seeded.token,
        curl: `curl -H 'Authorization: Bearer ${seeded.token}' ${proxyBase}${seeded.basePath}/orders`,
      };
    }
    mounts.ready = true;
    started = true;
    logger.info({ proxy: proxyBase, admin: adminBase, issuer }, 'gatehouse started');

    return {
      config,
      urls: {
        proxy: proxyBase,
        admin: adminBase,
        adminApi: adminResource,
        apiReference: `${adminResource}/docs`,
        issuer,
        ...(oauth ? { login: `${issuer}/auth` } : {}),
      },
      firstAdmin,
      demo,
      executor,
      sweepExpired,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
