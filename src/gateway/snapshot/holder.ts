import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../../store/change-feed.js';
import type { DB } from '../../store/schema.js';
import { type InvalidRowHandler, loadSnapshot, type OpenSecret } from './compile.js';
import type { Snapshot } from './types.js';

/** Options for the snapshot holder. */
export interface SnapshotHolderOptions {
  db: Kysely<DB>;
  feed: ChangeFeed;
  onInvalidRow?: InvalidRowHandler;
  /** Opens backend credentials' sealed material (the node's secret box); without it their proxies answer 503. */
  openSecret?: OpenSecret;
  /** Called when a rebuild fails; the previous snapshot stays live. */
  onError?: (err: unknown) => void;
}

/** Owns the live snapshot and swaps in a fresh one after config changes. */
export interface SnapshotHolder {
  current(): Snapshot;
  /** Rebuilds now; resolves once the rebuilt snapshot is live. */
  refresh(): Promise<void>;
  close(): void;
}

const RETRY_MS = 1_000;

/** Loads the first snapshot, then rebuilds on every change, coalescing bursts into one rebuild. */
export async function createSnapshotHolder(opts: SnapshotHolderOptions): Promise<SnapshotHolder> {
  const build = () => loadSnapshot(opts.db, opts.onInvalidRow, opts.openSecret);
  let snapshot = await build();
  let running: Promise<void> | null = null;
  let dirty = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  async function rebuildLoop(): Promise<void> {
    // A change arriving mid-build may have missed the read, so build again until no change is pending.
    while (dirty && !closed) {
      dirty = false;
      try {
        snapshot = await build();
      } catch (err) {
        opts.onError?.(err);
        retry ??= setTimeout(() => {
          retry = null;
          schedule();
        }, RETRY_MS);
        retry.unref();
        return;
      }
    }
  }

  function schedule(): Promise<void> {
    dirty = true;
    running ??= rebuildLoop().finally(() => {
      running = null;
    });
    return running;
  }

  const unsubscribe = opts.feed.subscribe(() => void schedule());
  return {
    current: () => snapshot,
    refresh: schedule,
    close: () => {
      closed = true;
      unsubscribe();
      if (retry) clearTimeout(retry);
    },
  };
}
