import cluster, { type Worker } from 'node:cluster';
import pino from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { GatehouseConfig, type GatehouseConfigInput } from '../../core/index.js';
import { startOrdersApi } from '../../demo/orders-api.js';
import { seedDemo } from '../../demo/seed.js';
import { LeaseBank, type LeaseRequest, type LeaseReturn } from '../../gateway/limits/index.js';
import { type FirstAdmin, ensureFirstAdmin } from '../../management/bootstrap.js';
import type { ConfigChange } from '../../store/change-feed.js';
import { hostRequestLogWriter, type WriterRequest } from '../../telemetry/index.js';
import { openManagementPlane, storeOptions } from '../plane.js';
import { Rpc } from './rpc.js';

/** What a worker reports once it serves: its start-up summary (the URLs). */
export interface WorkerSummary {
  urls: { console: string; proxy: string; admin: string; adminApi: string; apiReference: string; issuer: string; login?: string };
}

/** A running `serve --workers` primary. */
export interface RunningCluster {
  urls: WorkerSummary['urls'];
  firstAdmin: FirstAdmin | null;
  demo: { upstream: string; token: string; curl: string } | null;
  workers: number;
  close(): Promise<void>;
}

// A worker that dies before it starts serving is replaced only after this pause, so a broken setup does not spin.
const RESPAWN_BACKOFF_MS = 1_000;

/**
 * The primary of `serve --workers N`. It serves no traffic; node:cluster hands each connection on
 * the shared port(s) to one of N workers, each a whole Gatehouse node (proxy, both MCP surfaces,
 * admin API, console, OAuth). What must exist once lives here, in the one process whose lifetime is
 * the service's and which no request can crash:
 *   - set-up before any worker starts: migrations, the master key, the first admin, the demo data;
 *   - the limit and quota counters (LeaseBank), leased to the workers a few calls at a time;
 *   - the one request-log writer (thread, spool, retention); workers send it their batches;
 *   - the config-change relay for the SQLite store (PostgreSQL and Redis reach every process already);
 *   - `/metrics`: prom-client's AggregatorRegistry over every worker's registry.
 * A worker that exits is replaced; only the calls it had in flight are lost. Workers run the
 * primary's own script again (node:cluster), which must then call `joinCluster()` and
 * `startGatehouse(config, worker)`, as `gatehouse serve` does.
 */
export async function startCluster(input: GatehouseConfigInput, workers: number): Promise<RunningCluster> {
  const config = GatehouseConfig.parse(input);
  const logger = pino({ level: config.logLevel, base: { service: 'gatehouse', role: 'primary' } });
  const log = (msg: string, err: unknown) => logger.error({ err }, msg);

  const plane = await openManagementPlane(config, log);
  let firstAdmin: FirstAdmin | null = null;
  let orders: Awaited<ReturnType<typeof startOrdersApi>> | null = null;
  let seeded: Awaited<ReturnType<typeof seedDemo>> | null = null;
  try {
    if (!config.externalIdp) firstAdmin = await ensureFirstAdmin(plane.executor, () => plane.countUsers(), config.adminPassword);
    if (config.demo) {
      orders = await startOrdersApi();
      seeded = await seedDemo(plane.executor, orders.url);
    }
  } finally {
    await plane.close();
  }

  const host = hostRequestLogWriter({
    database: storeOptions(config),
    retentionDays: config.requestLogRetentionDays,
    maxSpoolBytes: config.requestLogSpoolMaxBytes,
    logger,
    // The workers' calls are exported once, by this writer's thread, from the batches they send.
    ...(config.otel ? { otel: { ...config.otel, fastPaths: config.fastPaths } } : {}),
  });
  const bank = new LeaseBank();
  const rpcs = new Map<number, Rpc>();
  let stopping = false;

  const revoke = (worker: number, key: string): Promise<LeaseReturn> =>
    rpcs.get(worker)?.call<LeaseReturn>('revoke', key, 1_000) ?? Promise.resolve({ ends: [], unused: 0 });

  let onFirstStart: (summary: WorkerSummary) => void = () => {};
  let onStartFailed: (err: Error) => void = () => {};
  const firstStart = new Promise<WorkerSummary>((resolve, reject) => {
    onFirstStart = resolve;
    onStartFailed = reject;
  });
  let serving = 0;
  // Set once all first workers serve: from then on a worker that dies is replaced instead of failing the start.
  let up = false;

  cluster.setupPrimary({ serialization: 'advanced' });

  function fork(): Worker {
    const worker = cluster.fork();
    const id = worker.id;
    let started = false;
    const rpc = new Rpc(worker, {
      lease: (req: LeaseRequest) => bank.lease(id, req, rpcs.size, revoke),
      peek: (req: Pick<LeaseRequest, 'key' | 'rules' | 'now'>) => bank.peek(req.key, req.rules, req.now),
      log: (req: WriterRequest) => host.forward(req),
      metrics: () => aggregateMetrics(),
      change: (change: ConfigChange) => {
        for (const [other, r] of rpcs) if (other !== id) r.notify('change', change);
      },
      started: (summary: WorkerSummary) => {
        started = true;
        if (++serving === workers && !up) {
          up = true;
          onFirstStart(summary);
        }
      },
    });
    rpcs.set(id, rpc);
    worker.on('exit', (code, signal) => {
      rpcs.delete(id);
      rpc.close(`worker ${id} exited`);
      bank.forgetWorker(id);
      if (started) serving--;
      if (stopping) return;
      if (!up) {
        onStartFailed(new Error(`worker ${id} exited (${signal ?? code}) before it started serving`));
        return;
      }
      logger.error({ worker: id, code, signal }, 'a worker exited; starting a replacement');
      setTimeout(() => (stopping ? undefined : fork()), started ? 0 : RESPAWN_BACKOFF_MS).unref();
    });
    return worker;
  }

  /** Every worker's registry, merged by prom-client's AggregatorRegistry (sums, or each metric's own aggregator). */
  async function aggregateMetrics(): Promise<string> {
    const all = await Promise.all([...rpcs.values()].map((r) => r.call<object[]>('registry', null, 5_000).catch(() => null)));
    return AggregatorRegistry.aggregate(all.filter((m): m is object[] => m !== null) as never).metrics();
  }

  async function close(): Promise<void> {
    if (stopping) return;
    stopping = true;
    const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    // Each worker drains like a single node (readiness off, listeners closed, its last batch sent), then exits.
    const limit = config.shutdownDelayMs + config.shutdownTimeoutMs + 5_000;
    await Promise.all(
      live.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const kill = setTimeout(() => w.process.kill('SIGKILL'), limit);
            w.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await host.writer.close().catch((err) => log('closing the request-log writer failed', err));
    await orders?.close();
  }

  for (let i = 0; i < workers; i++) fork();
  let summary: WorkerSummary;
  try {
    summary = await firstStart;
  } catch (err) {
    await close();
    throw err;
  }
  const proxy = summary.urls.proxy;
  return {
    urls: summary.urls,
    firstAdmin,
    demo:
      orders && seeded
        ? { upstream: orders.url, token: seeded.token, curl: `curl -H 'Authorization: Bearer ${seeded.token}' ${proxy}${seeded.basePath}/orders` }
        : null,
    workers,
    close,
  };
}
