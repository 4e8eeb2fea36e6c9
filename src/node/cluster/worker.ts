import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { createLeasedLimiter, type LeasedLimiter, type LeaseGrant } from '../../gateway/limits/index.js';
import type { ChangeFeed, ConfigChange } from '../../store/change-feed.js';
import { createLocalChangeFeed } from '../../store/change-feed.js';
import type { WriterChannel, WriterReply } from '../../telemetry/index.js';
import { Rpc } from './rpc.js';

/** What a `serve --workers` worker gets from the primary instead of owning it. */
export interface ClusterWorker {
  /** This worker's number (1, 2, …; a replacement gets a new one). */
  id: number;
  /** Limits and quotas counted by the primary, leased a few calls at a time. */
  limiter: LeasedLimiter;
  /** Request-log batches go to the primary's one writer (and its spool). */
  writer: WriterChannel;
  /** Config changes relayed through the primary to every other worker (the SQLite store has no feed of its own). */
  changes: ChangeFeed & { close(): Promise<void> };
  /** `/metrics`: every worker's registry, aggregated by the primary. */
  metrics: { contentType: string; metrics(): Promise<string> };
  /** Lets the primary read `registry` when it aggregates `/metrics`. */
  expose(registry: Registry): void;
  /** Tells the primary this worker is serving, with its start-up summary. */
  started(summary: unknown): void;
}

/** Connects this process, a cluster worker, to its primary. */
export function joinCluster(): ClusterWorker {
  const id = cluster.worker?.id ?? 0;
  const feed = createLocalChangeFeed();
  let limiter: LeasedLimiter | undefined;
  let registry: Registry | undefined;
  const rpc = new Rpc(process as never, {
    revoke: (key: string) => limiter!.revoke(key),
    change: (change: ConfigChange) => feed.publish(change),
    // Through JSON: some metrics carry functions, which IPC's structured clone refuses.
    registry: async () => JSON.parse(JSON.stringify((await registry?.getMetricsAsJSON()) ?? [])),
  });
  process.on('disconnect', () => rpc.close('the cluster primary is gone'));
  limiter = createLeasedLimiter({
    lease: (req) => rpc.call<LeaseGrant>('lease', req),
    peek: (req) => rpc.call<LeaseGrant>('peek', req),
  });
  return {
    id,
    limiter,
    writer: {
      request: (req) => rpc.call<WriterReply>('log', req, 60_000).catch((err: Error) => ({ id: 0, error: { name: 'Error', message: err.message } })),
      close: async () => {},
    },
    changes: {
      publish(change) {
        feed.publish(change);
        rpc.notify('change', change);
      },
      subscribe: (listener) => feed.subscribe(listener),
      close: async () => {},
    },
    metrics: {
      contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
      metrics: () => rpc.call<string>('metrics', null),
    },
    expose(r) {
      registry = r;
    },
    started: (summary) => rpc.notify('started', summary),
  };
}
