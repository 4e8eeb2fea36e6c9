import type { Kysely } from 'kysely';
import type { ChangeFeed, ConfigChange } from '../../store/change-feed.js';
import type { DB } from '../../store/schema.js';
import { getApproval } from '../../store/repositories/approvals.js';
import { type InvalidRowHandler, loadSnapshot, type OpenSecret, withApproval, withCredentials } from './compile.js';
import { changedBetween, loadSiblingCredentials, readConfigVersion } from './load.js';
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
  /** Applies one committed change: a credential change in place (milliseconds), anything else by a rebuild. */
  apply(change: ConfigChange): Promise<void>;
  /** The config version the live snapshot was built from (see `readConfigVersion`). */
  version(): number;
  close(): void;
}

const RETRY_MS = 1_000;
const RECONCILE_MS = 2_000;
// Credential changes kept on top of the packed token index; past this many, a rebuild folds them in.
const MAX_CHANGED_CREDENTIALS = 10_000;

/**
 * Loads the first snapshot, then keeps it current: a credential change (issue, rotate, revoke) is
 * applied to the token index in place — with 100,000 credentials a rebuild takes seconds, a
 * revocation must not — and any other change rebuilds, coalescing bursts into one rebuild. The
 * store's config version is also polled, so a change whose notification was lost still arrives.
 */
export async function createSnapshotHolder(opts: SnapshotHolderOptions): Promise<SnapshotHolder> {
  const build = async () => {
    // Read before the snapshot, so the snapshot is at least this new.
    const version = await readConfigVersion(opts.db);
    return { next: await loadSnapshot(opts.db, opts.onInvalidRow, opts.openSecret), version };
  };
  const first = await build();
  let snapshot = first.next;
  let built = first.version;
  let running: Promise<void> | null = null;
  let dirty = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  // Credentials changed while a rebuild was reading: the rebuild may have read them before the change.
  let changedDuringBuild: string[] | null = null;

  async function rebuildLoop(): Promise<void> {
    // A change arriving mid-build may have missed the read, so build again until no change is pending.
    while (dirty && !closed) {
      dirty = false;
      changedDuringBuild = [];
      try {
        const { next, version } = await build();
        let result = next;
        for (const id of changedDuringBuild) {
          const rows = await loadSiblingCredentials(opts.db, id);
          if (rows) result = withCredentials(result, rows);
        }
        snapshot = result;
        built = version;
      } catch (err) {
        opts.onError?.(err);
        retry ??= setTimeout(() => {
          retry = null;
          schedule();
        }, RETRY_MS);
        retry.unref();
        return;
      } finally {
        changedDuringBuild = null;
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

  async function applyCredentialChange(change: ConfigChange & { resourceId: string }): Promise<boolean> {
    const rows = await loadSiblingCredentials(opts.db, change.resourceId);
    if (!rows) return false;
    changedDuringBuild?.push(change.resourceId);
    snapshot = withCredentials(snapshot, rows);
    // Nothing else changed since the snapshot's version: it now stands at this change's.
    if (change.seq && running === null && !(await changedBetween(opts.db, built, change.seq.first))) built = Math.max(built, change.seq.last);
    if (snapshot.tokens.changed > MAX_CHANGED_CREDENTIALS) void schedule();
    return true;
  }

  /** An approval decided (or spent): applied in place, like a credential, so it reaches the data plane at once without a rebuild. */
  async function applyApprovalChange(change: ConfigChange & { resourceId: string }): Promise<boolean> {
    // A rebuild under way may have read the approval before the decision: build again instead.
    if (running !== null) return false;
    const row = await getApproval(opts.db, change.resourceId);
    if (!row) return false;
    snapshot = withApproval(snapshot, row);
    if (change.seq && !(await changedBetween(opts.db, built, change.seq.first))) built = Math.max(built, change.seq.last);
    return true;
  }

  async function apply(change: ConfigChange): Promise<void> {
    if (change.resourceType === 'approvals' && change.resourceId) {
      try {
        if (await applyApprovalChange({ ...change, resourceId: change.resourceId })) return;
      } catch (err) {
        opts.onError?.(err);
      }
    }
    if (change.resourceType === 'credentials' && change.resourceId) {
      try {
        if (await applyCredentialChange({ ...change, resourceId: change.resourceId })) return;
      } catch (err) {
        opts.onError?.(err);
      }
    }
    return schedule();
  }

  const unsubscribe = opts.feed.subscribe((change) => void apply(change));
  const reconcileMs = opts.reconcileMs ?? RECONCILE_MS;
  let checking = false;
  const reconcile =
    reconcileMs > 0
      ? setInterval(() => {
          if (checking || running) return;
          checking = true;
          readConfigVersion(opts.db)
            // A store that is down: keep serving the last snapshot; the next check catches up.
            .then(
              (version) => (version !== built ? schedule() : undefined),
              () => undefined,
            )
            .finally(() => {
              checking = false;
            });
        }, reconcileMs)
      : null;
  reconcile?.unref();
  return {
    current: () => snapshot,
    refresh: schedule,
    apply,
    version: () => built,
    close: () => {
      closed = true;
      unsubscribe();
      if (retry) clearTimeout(retry);
      if (reconcile) clearInterval(reconcile);
    },
  };
}
