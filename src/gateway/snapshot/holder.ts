import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../../store/change-feed.js';
import type { DB } from '../../store/schema.js';
import { type InvalidRowHandler, loadSnapshot } from './compile.js';
import { readConfigVersion } from './load.js';
import type { Snapshot } from './types.js';

/** Options for the snapshot holder. */
export interface SnapshotHolderOptions {
  db: Kysely<DB>;
  feed: ChangeFeed;
  onInvalidRow?: InvalidRowHandler;
  /** Called when a rebuild fails; the previous snapshot stays live. */
  onError?: (err: unknown) => void;
  /**
   * How often the store's config version is compared with the snapshot's (default 2 s; 0: never).
   * Notifications can be lost (a dropped LISTEN connection, a Redis restart); this check heals them.
   */
  reconcileMs?: number;
}

/** Owns the live snapshot and swaps in a fresh one after config changes. */
export interface SnapshotHolder {
  current(): Snapshot;
  /** Rebuilds now; resolves once the rebuilt snapshot is live. */
  refresh(): Promise<void>;
  /** The config version the live snapshot was built from (see `readConfigVersion`). */
  version(): number;
  close(): void;
}

const RETRY_MS = 1_000;
const RECONCILE_MS = 2_000;

/** Loads the first snapshot, then rebuilds on every change (coalescing bursts into one rebuild) and whenever the store's config version moves without a notification. */
export async function createSnapshotHolder(opts: SnapshotHolderOptions): Promise<SnapshotHolder> {
  let built = 0;
  const build = async () => {
    // Read before the snapshot, so the snapshot is at least this new.
    const version = await readConfigVersion(opts.db);
    const next = await loadSnapshot(opts.db, opts.onInvalidRow);
    built = version;
    return next;
  };
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
  const reconcileMs = opts.reconcileMs ?? RECONCILE_MS;
  let checking = false;
  const reconcile =
    reconcileMs > 0
      ? setInterval(() => {
          if (checking || running) return;
          checking = true;
          readConfigVersion(opts.db)
            // A store that is down: keep serving the last snapshot; the next check catches up.
            .then((version) => (version !== built ? schedule() : undefined), () => undefined)
            .finally(() => {
              checking = false;
            });
        }, reconcileMs)
      : null;
  reconcile?.unref();
  return {
    current: () => snapshot,
    refresh: schedule,
    version: () => built,
    close: () => {
      closed = true;
      unsubscribe();
      if (retry) clearTimeout(retry);
      if (reconcile) clearInterval(reconcile);
    },
  };
}
