import pino from 'pino';
import { GatehouseConfig, type GatehouseConfigInput } from '../core/index.js';
import { startOrdersApi } from '../demo/orders-api.js';
import { seedDemo } from '../demo/seed.js';
import { adminApiResource, buildAdminApp } from '../http/admin-app.js';
import { createDispatcher, type Mounts } from '../http/dispatcher.js';
import { createHealth } from '../http/health.js';
import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { beginDrain } from '../http/drain.js';
import { closeServer, listen } from '../http/listen.js';
import { listenerExpiry, readTlsFiles, reloadOnChange } from '../http/tls-files.js';
import { MANAGEMENT_SCOPE } from '../identity/index.js';
import { type FirstAdmin, ensureFirstAdmin } from '../management/bootstrap.js';
import type { Executor } from '../management/executor.js';
import { UpstreamPool } from '../gateway/federation/index.js';
import type { ClusterWorker } from './cluster/worker.js';
import { startDataPlane } from './data-plane.js';
import { startIdentity } from './identity.js';
import { lazySurface } from './lazy-surface.js';
import { startPerUserUpstreams } from './per-user-upstreams.js';
import { virtualAccess } from './virtual-access.js';
import { openManagementPlane } from './plane.js';
import { storeUpstreamSessions } from '../store/repositories/mcp-upstream-sessions.js';
import { storeUpstreamHealth } from '../store/repositories/mcp-upstream-health.js';
import { RefusalLog } from './refusal-log.js';
import { registerStdioMetrics } from '../telemetry/stdio-metrics.js';

/** A started node and what its operator needs to know. */
export interface RunningGatehouse {
  config: GatehouseConfig;
  urls: { console: string; proxy: string; admin: string; adminApi: string; apiReference: string; issuer: string; login?: string };
  /** Set on first start only, when the gateway created the admin user. */
  firstAdmin: FirstAdmin | null;
  /** With `demo`: the sample upstream and a call that works as printed. */
  demo: { upstream: string; token: string; curl: string } | null;
  executor: Executor;
  /** Deletes expired OAuth state now (it also runs every ten minutes). */
  sweepExpired(): Promise<void>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];
// How long a starting cluster worker holds the calls node:cluster already gave it; then they get a 503.
const CLUSTER_START_HOLD_MS = 30_000;

/**
 * Starts a gateway node: store → migrations → secret box → change feed → executor → identity →
 * data plane (writer, snapshot, limiter, gateway) → surfaces → listeners. Shared by `serve` and the tests.
 * `cluster`: this process is a `serve --workers` worker (see cluster/primary.ts for what the primary keeps).
 */
export async function startGatehouse(input: GatehouseConfigInput, cluster?: ClusterWorker): Promise<RunningGatehouse> {
  const config = GatehouseConfig.parse(input);
  const logger = pino({ level: config.logLevel, base: { service: 'gatehouse' } });
  const log = (msg: string, err: unknown) => logger.error({ err }, msg);
  // The MCP endpoints tell a client's mistake (one line at warn) from a fault of ours (error, with the stack).
  const mcpLog = { error: log, warn: (msg: string, detail: { reason: string }) => logger.warn(detail, msg) };

  const closers: Array<() => Promise<void>> = [];
  // Listeners stop first, so nothing new arrives while the pipeline's parts are closing.
  const listeners: Array<{ server: Server; close: () => Promise<number> }> = [];
  let mounts: Mounts | undefined;
  // Calls held while a cluster worker starts go on (served, or refused if it never got ready) once this runs.
  let endHold = () => {};
  let state: 'starting' | 'started' | 'stopping' = 'starting';
  const close = async () => {
    const wasStarted = state === 'started';
    state = 'stopping';
    // Not ready any more, but still serving every call (new connections too): load balancers take the node
    // out meanwhile. Each response now closes its keep-alive connection, so clients reconnect elsewhere.
    for (const l of listeners) beginDrain(l.server);
    if (wasStarted && config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
    const cut = await Promise.all(
      listeners.map((l) =>
        l.close().catch((err) => {
          log('closing a listener failed', err);
          return 0;
        }),
      ),
    );
    const unfinished = cut.reduce((a, b) => a + b, 0);
    if (unfinished > 0)
      logger.warn({ unfinished, shutdownTimeoutMs: config.shutdownTimeoutMs }, 'calls still under way when the shutdown timeout ended were cut');
    // Only once nothing can reach the surfaces: a call that got through is served, never refused with a 503.
    if (mounts) mounts.ready = false;
    endHold();
    for (const c of closers.reverse()) await c().catch((err) => log('shutdown step failed', err));
  };
  try {
    // Without Redis or PostgreSQL to carry changes between processes, the workers' primary relays them.
    const relay = cluster && !config.redisUrl && !config.databaseUrl ? cluster.changes : undefined;
    const plane = await openManagementPlane(config, log, relay, { info: (obj, msg) => logger.info(obj, msg), warn: (obj, msg) => logger.warn(obj, msg) });
    closers.push(() => plane.close());

    const health = createHealth(
      () => state,
      () => plane.storeHealth.available(),
    );
    // Calls refused while starting are held for the request log, which opens with the data plane.
    const refusals = new RefusalLog();
    mounts = { ready: false, health, refused: (...args) => refusals.record(...args) };
    if (cluster) {
      const held = mounts;
      held.starting = new Promise<void>((resolve) => {
        endHold = () => {
          held.starting = undefined;
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(endHold, CLUSTER_START_HOLD_MS);
        timer.unref();
      });
    }
    const split = config.adminPort !== undefined;
    const tls = config.tls ? readTlsFiles(config.tls) : undefined;
    const main = await listen(createDispatcher({ admin: !split, proxy: true }, mounts), config.host, config.port, tls, config.requestBodyIdleMs);
    listeners.push({ server: main.server, close: () => closeServer(main.server, config.shutdownTimeoutMs) });
    let adminUrl = main.url;
    const servers = [main.server];
    if (split) {
      const admin = await listen(
        createDispatcher({ admin: true, proxy: false }, mounts),
        config.adminHost ?? config.host,
        config.adminPort!,
        tls,
        config.requestBodyIdleMs,
      );
      listeners.push({ server: admin.server, close: () => closeServer(admin.server, config.shutdownTimeoutMs) });
      adminUrl = admin.url;
      servers.push(admin.server);
    }
    if (config.tls) {
      const stop = reloadOnChange(
        config.tls,
        servers as unknown as HttpsServer[],
        (err) => log('the TLS certificate files changed but could not be loaded; the previous certificate stays', err),
        () => logger.info({ certFile: config.tls?.certFile }, 'TLS certificate reloaded'),
      );
      closers.push(async () => stop());
    }
    const proxyBase = config.publicUrl?.replace(/\/$/, '') ?? main.url;
    const adminBase = config.adminPublicUrl?.replace(/\/$/, '') ?? (split ? adminUrl : proxyBase);
    const resources = {
      adminBase,
      adminApi: adminApiResource(adminBase),
      managementMcp: `${adminBase}/management/mcp`,
      gatewayMcp: `${proxyBase}/mcp`,
    };

    // Before identity and the MCP surfaces: they read virtual servers, role holders and sign-ins from its snapshot.
    const data = await startDataPlane(config, plane, { error: (obj, msg) => logger.error(obj, msg), info: (obj, msg) => logger.info(obj, msg) }, cluster, {
      console: adminBase,
    });
    closers.push(() => data.close());
    const unheld = refusals.open(data.calls);
    if (unheld > 0) logger.warn({ unheld }, 'calls refused while starting were more than the request log holds; the rest are not logged');
    closers.push(async () => refusals.close());
    registerStdioMetrics(data.metrics.registry, () => plane.stdio.report());
    const tlsFiles = config.tls;
    if (tlsFiles) data.metrics.watchCredentialExpiry(() => listenerExpiry(tlsFiles));

    // People's tokens for oauth_per_user upstreams: virtual servers and token exchange resolve targets with them.
    const perUser = startPerUserUpstreams(config, plane, proxyBase);
    closers.push(() => perUser.close());
    const virtual = virtualAccess(config, data.snapshots, perUser.tokens);
    const identity = await startIdentity(config, plane, resources, log, virtual, data.metrics.registry);
    closers.push(() => identity.close());
    const { oauth, issuer, verifier } = identity;
    const firstAdmin = oauth ? await ensureFirstAdmin(plane.executor, () => plane.countUsers(), config.adminPassword) : null;

    const { app, handler } = await buildAdminApp({
      executor: plane.executor,
      verifier,
      adminBase,
      proxyBase,
      issuer,
      consoleSignIn: identity.console,
      bodyLimitBytes: config.bodyLimitBytes,
      metrics: cluster?.metrics ?? data.metrics.registry,
      managementResource: resources.managementMcp,
      managementScope: oauth ? MANAGEMENT_SCOPE : undefined,
      log,
    });
    closers.push(() => app.close());
    mounts.admin = handler;
    // The MCP surfaces load on their first request: a node that serves no MCP traffic never loads the MCP SDK.
    const managementMcp = lazySurface(
      'Management MCP',
      async () => ({
        handle: (await import('../mcp/management/handler.js')).createManagementMcp({
          executor: plane.executor,
          verifier,
          resource: resources.managementMcp,
          ...(oauth ? { requiredScope: MANAGEMENT_SCOPE } : {}),
          publicUrl: adminBase,
          allowedHosts: config.mcp.allowedHosts,
          loopbackListener: LOOPBACK_HOSTS.includes(split ? (config.adminHost ?? config.host) : config.host),
          maxBodyBytes: config.bodyLimitBytes,
          fastPaths: config.fastPaths,
          log: mcpLog,
        }),
      }),
      log,
    );
    closers.push(() => managementMcp.close());
    mounts.managementMcp = managementMcp.handle;
    mounts.proxy = data.gateway.handle;
    // With the built-in authorization server, people sign in to `/mcp` as a profile; the pipeline's admit step checks those tokens.
    const signIn = identity.consumers ? { resource: resources.gatewayMcp, issuer: identity.consumers.issuer, verifier: identity.consumers.verifier } : null;
    const gatewayMcp = lazySurface(
      'Gateway MCP',
      async () =>
        (await import('../mcp/catalog/handler.js')).createGatewayMcp({
          gateway: data.gateway,
          publicUrl: proxyBase,
          allowedOrigins: config.mcp.allowedOrigins,
          allowedHosts: config.mcp.allowedHosts,
          loopbackListener: LOOPBACK_HOSTS.includes(config.host),
          maxBodyBytes: config.bodyLimitBytes,
          fastPaths: config.fastPaths,
          maxResultBytes: config.mcp.maxResultBytes,
          requestTimeoutMs: config.mcp.requestTimeoutMs,
          log: mcpLog,
          admit: data.gateway.catalogAdmission(signIn),
          ...(signIn ? { oauth: { resource: signIn.resource, issuer: signIn.issuer } } : {}),
        }),
      log,
    );
    closers.push(() => gatewayMcp.close());
    mounts.gatewayMcp = gatewayMcp.handle;
    // Upstream sessions live in the store, so a user's next federated call continues theirs on any node.
    const feed = plane.changes;
    const upstreamPool = new UpstreamPool({
      fastPaths: config.fastPaths,
      sessions: storeUpstreamSessions(plane.database.db, plane.secrets),
      healthStore: storeUpstreamHealth(plane.database.db),
      stdio: plane.stdio,
      notices: { perSecond: config.mcpNoticesPerSecond, burst: 2 * config.mcpNoticesPerSecond },
      // What an upstream session says reaches its caller's stream on whichever node the caller listens (Redis or PostgreSQL).
      ...(feed.broadcast && feed.onBroadcast
        ? {
            fanout: {
              publish: (m: unknown) => feed.broadcast?.('mcp-upstream-notification', m),
              subscribe: (l: (m: unknown) => void) => feed.onBroadcast?.('mcp-upstream-notification', l) ?? (() => undefined),
            },
          }
        : {}),
    });
    data.metrics.watchMcpUpstreams(() => upstreamPool.health());
    // An approval or a settings change takes effect at once: the next list or call reads the upstreams' definitions afresh.
    const stopInvalidating = plane.changes.subscribe((change) => {
      upstreamPool.invalidate();
      // A changed or deleted stdio server's child stops on every node; the next use starts its current command.
      if (change.resourceId && (change.action === 'mcp-servers.update' || change.action === 'mcp-servers.delete'))
        void plane.stdio.stop(change.resourceId, `the server was ${change.action === 'mcp-servers.delete' ? 'deleted' : 'changed'}`);
    });
    const connect = perUser.connectHandler(oauth, issuer, mcpLog, log);
    if (connect) {
      closers.push(() => connect.close());
      mounts.mcpConnect = connect.handle;
    }
    closers.push(async () => {
      stopInvalidating();
      await upstreamPool.close();
    });
    const virtualMcp = lazySurface(
      'virtual MCP server',
      async () => ({
        handle: (await import('../mcp/federation/handler.js')).createVirtualMcp({
          resolve: virtual.resolve,
          pool: upstreamPool,
          gateway: data.gateway,
          admit: data.gateway.mcpAdmission({ verifier, resolve: virtual.resolve }),
          issuer,
          publicUrl: proxyBase,
          allowedOrigins: config.mcp.allowedOrigins,
          allowedHosts: config.mcp.allowedHosts,
          loopbackListener: LOOPBACK_HOSTS.includes(config.host),
          maxBodyBytes: config.bodyLimitBytes,
          fastPaths: config.fastPaths,
          log: mcpLog,
          sessionKey: plane.secrets.derive('virtual mcp session'),
        }),
      }),
      log,
    );
    closers.push(() => virtualMcp.close());
    mounts.virtualMcp = virtualMcp.handle;
    if (identity.consumers) mounts.oauth = identity.consumers.server.handle.bind(identity.consumers.server);

    let demo: RunningGatehouse['demo'] = null;
    if (config.demo) {
      const orders = await startOrdersApi();
      closers.push(() => orders.close());
      const seeded = await seedDemo(plane.executor, orders.url);
      demo = {
        upstream: orders.url,
        token: seeded.token,
        curl: `curl -H 'Authorization: Bearer ${seeded.token}' ${proxyBase}${seeded.basePath}/orders`,
      };
    }
    mounts.ready = true;
    endHold();
    state = 'started';
    logger.info({ proxy: proxyBase, admin: adminBase, issuer, ...(cluster ? { worker: cluster.id } : {}) }, 'gatehouse started');

    return {
      config,
      urls: {
        console: `${adminBase}/console`,
        proxy: proxyBase,
        admin: adminBase,
        adminApi: resources.adminApi,
        apiReference: `${resources.adminApi}/docs`,
        issuer,
        ...(oauth ? { login: `${issuer}/auth` } : {}),
      },
      firstAdmin,
      demo,
      executor: plane.executor,
      sweepExpired: identity.sweepExpired,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
