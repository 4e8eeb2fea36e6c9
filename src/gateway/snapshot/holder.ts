import type { Kysely } from 'kysely';
import type { ChangeFeed, ConfigChange } from '../../store/change-feed.js';
import type { DB } from '../../store/schema.js';
import { type CommittedWrites, committedWritesOf, unjournaledResourceWrites, type WrittenRow } from '../../store/write-journal.js';
import { getApproval } from '../../store/repositories/approvals.js';
import { liveDecisions } from '../../store/repositories/approvals.js';
import {
  approvalIndex,
  type InvalidRowHandler,
  loadSnapshot,
  loadTokenIndex,
  type OpenSecret,
  stageInSlices,
  withApproval,
  withCredentials,
  yieldToLoop,
  LoopSlices,
} from './compile.js';
import type { ResourceChange, SnapshotCompiler } from './compiler.js';
import { passReach } from './pass-reach.js';
import {
  changedBetween,
  changedTypesBetween,
  credentialChangesSince,
  loadBackendSecrets,
  loadMcpSecrets,
  loadResourcesById,
  loadResourcesUpdatedSince,
  loadResourceVersions,
  loadTypeSignatures,
  type ResourceRow,
  SNAPSHOT_TYPES,
  loadSiblingCredentials,
  readConfigVersion,
} from './load.js';
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
  /** Rebuilds everything from the store now; resolves once the rebuilt snapshot is live. */
  refresh(): Promise<void>;
  /** Applies one committed change: a credential change in place, anything else by recompiling what changed; resolves once it is live. */
  apply(change: ConfigChange): Promise<void>;
  /** The config version the live snapshot was built from (see `readConfigVersion`). */
  version(): number;
  close(): void;
}

const RETRY_MS = 1_000;
const RECONCILE_MS = 2_000;
// Credential changes kept on top of the packed token index; past this many, the index is re-packed.
const MAX_CHANGED_CREDENTIALS = 10_000;

// How often a pass compares every row's version rather than per-type summaries (which a writer with a lagging clock could slip past).
const FULL_SCAN_MS = 30_000;

const SNAPSHOT_TYPE_SET = new Set(SNAPSHOT_TYPES);

/** A change this node committed, with the rows it wrote. */
interface OwnWrite {
  seq: { first: number; last: number };
  writes: CommittedWrites;
}

const stampOf = (row: ResourceRow) => `${row.version} ${row.updated_at}`;

/** The rows of these types that differ from the compiled state, found by comparing every row's version stamp. */
async function scanChanges(db: Kysely<DB>, compiler: SnapshotCompiler, types: readonly string[]): Promise<ResourceChange[]> {
  const stored = await loadResourceVersions(db, types);
  const wanted = new Set(types);
  const known = compiler.versions;
  const typeOf = new Map<string, string>();
  const changes: ResourceChange[] = [];
  const split = (key: string) => {
    const at = key.indexOf('\n');
    return { type: key.slice(0, at), id: key.slice(at + 1) };
  };
  // 100,000 stamps take ~130 ms to compare: other calls get in every 10 ms.
  const slices = new LoopSlices();
  for (const [key, stamp] of stored) {
    if (slices.due) await slices.giveWay();
    if (known.get(key) === stamp) continue;
    const { type, id } = split(key);
    typeOf.set(id, type);
  }
  for (const key of known.keys()) {
    if (slices.due) await slices.giveWay();
    if (stored.has(key)) continue;
    const { type, id } = split(key);
    if (wanted.has(type)) changes.push({ type, id, row: null });
  }
  if (typeOf.size === 0) return changes;
  const rows = await loadResourcesById(db, [...typeOf.keys()]);
  for (const row of rows) {
    if (slices.due) await slices.giveWay();
    changes.push({ type: row.type, id: row.id, row });
    typeOf.delete(row.id);
  }
  // Deleted between the two reads: gone.
  for (const [id, type] of typeOf) {
    if (slices.due) await slices.giveWay();
    if (known.has(`${type}\n${id}`)) changes.push({ type, id, row: null });
  }
  return changes;
}

/**
 * What changed in the store since the compiled state. Per type, the store's summary (count,
 * version sum, newest update) is compared with the compiled one; a type that differs has its rows
 * updated since the newest compiled one read, and if those do not account for the difference (a
 * deletion, or a writer's clock behind), every row of that type is compared.
 */
async function storeChanges(db: Kysely<DB>, compiler: SnapshotCompiler): Promise<ResourceChange[]> {
  const store = await loadTypeSignatures(db);
  const known = compiler.versions;
  const changes: ResourceChange[] = [];
  const rescan: string[] = [];
  for (const type of SNAPSHOT_TYPES) {
    const theirs = store.get(type) ?? { count: 0, versions: 0, newest: '' };
    const ours = compiler.signature(type);
    if (theirs.count === ours.count && theirs.versions === ours.versions && theirs.newest <= ours.newest) continue;
    const rows = (await loadResourcesUpdatedSince(db, type, ours.newest)).filter((r) => known.get(`${type}\n${r.id}`) !== stampOf(r));
    let { count, versions } = ours;
    for (const r of rows) {
      const held = known.get(`${type}\n${r.id}`);
      if (held !== undefined) {
        count--;
        versions -= Number.parseInt(held, 10);
      }
      count++;
      versions += r.version;
    }
    if (count === theirs.count && versions === theirs.versions) for (const row of rows) changes.push({ type, id: row.id, row });
    else rescan.push(type);
  }
  if (rescan.length > 0) changes.push(...(await scanChanges(db, compiler, rescan)));
  return changes;
}

/**
 * Loads the first snapshot, then keeps it current incrementally. A credential change (issue,
 * rotate, revoke) is applied to the token index in place. Any other change is found by comparing
 * each stored resource's version with the compiled one, and only what the changed rows reach is
 * recompiled (see SnapshotCompiler): the token index refers to profiles by slot, so a profile or
 * policy change re-resolves a few slots rather than re-packing 100,000 credentials. Bursts
 * coalesce into one pass. The store's config version is also polled, so a change whose
 * notification was lost still arrives.
 */
export async function createSnapshotHolder(opts: SnapshotHolderOptions): Promise<SnapshotHolder> {
  const rebuild = async () => {
    // Read before the snapshot, so the snapshot is at least this new.
    const unjournaled = unjournaledResourceWrites();
    const version = await readConfigVersion(opts.db);
    return { ...(await loadSnapshot(opts.db, opts.onInvalidRow, opts.openSecret)), version, unjournaled };
  };
  const first = await rebuild();
  let snapshot = first.snapshot;
  let compiler = first.compiler;
  let built = first.version;
  // Unjournaled resource writes of this process the compiled state has read: a change since (made
  // before a write's journal opened, so that journal counts it complete) sends the next pass to the store.
  let seenUnjournaled = first.unjournaled;
  let lastFullScan = Date.now();
  let running: Promise<void> | null = null;
  let dirty = false;
  let full = false;
  let repack = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  // Credentials changed while a pass was reading: the pass may have read them before the change.
  let changedDuringBuild: string[] | null = null;
  // Resource types of the changes handed to this node since the last pass began (null: unknown, e.g. after a failed pass).
  let notified: Set<string> | null = new Set();
  // This node's own committed writes handed over since the last pass began, with the rows they wrote;
  // null once a change came without them (from another node, or unjournaled): the pass reads the store.
  let handed: OwnWrite[] | null = [];

  /**
   * What this node's own writes changed, when they are all that changed since `built` (their audit
   * sequence numbers follow it with no other success in between): the pass then needs neither the
   * store's version, nor its summaries, nor the rows read back. Null: read the store.
   */
  async function ownChanges(own: readonly OwnWrite[] | null): Promise<{ version: number; types: Set<string>; changes: ResourceChange[] } | null> {
    if (own === null || own.length === 0) return null;
    // A declarative apply hands over 100,000 rows: other calls get in every 10 ms.
    const slices = new LoopSlices();
    const rows = new Map<string, WrittenRow | null>();
    const types = new Set<string>();
    let at = built;
    for (const { seq, writes } of [...own].sort((a, b) => a.seq.first - b.seq.first)) {
      // Already past it (a credential applied in place moved the version on), or another change in between: read the store.
      if (seq.first <= at || (await changedBetween(opts.db, at, seq.first))) return null;
      at = seq.last;
      for (const [key, row] of writes.rows) {
        if (slices.due) await slices.giveWay();
        rows.set(key, row);
      }
      for (const type of writes.types) types.add(type);
    }
    const changes: ResourceChange[] = [];
    for (const [key, row] of rows) {
      if (slices.due) await slices.giveWay();
      const split = key.indexOf('\n');
      const type = key.slice(0, split);
      if (SNAPSHOT_TYPE_SET.has(type)) changes.push({ type, id: key.slice(split + 1), row });
    }
    return { version: at, types, changes };
  }

  /** Brings the compiled state up to the store's, recompiling only what changed. */
  async function sync(): Promise<void> {
    // A turn of its own: what scheduled the pass may just have held the loop (a large apply's commit).
    await yieldToLoop();
    const fedTypes = notified;
    notified = new Set();
    const own = handed;
    handed = [];
    const scanAll = Date.now() - lastFullScan > FULL_SCAN_MS;
    const unjournaled = unjournaledResourceWrites();
    const known = scanAll || fedTypes === null || unjournaled !== seenUnjournaled ? null : await ownChanges(own);
    const version = known ? known.version : await readConfigVersion(opts.db);
    // What changed since `built` (the audit log, so another node's change whose notification was lost counts too) decides what is read again.
    const audited = known ? known.types : scanAll || fedTypes === null ? null : await changedTypesBetween(opts.db, built, version);
    const reach = passReach(audited && fedTypes ? new Set([...audited, ...fedTypes]) : null);
    const changes = known ? known.changes : scanAll ? await scanChanges(opts.db, compiler, SNAPSHOT_TYPES) : await storeChanges(opts.db, compiler);
    if (scanAll) lastFullScan = Date.now();
    const sealed = reach.backendSecrets ? new Map((await loadBackendSecrets(opts.db)).map((r) => [r.owner_id, r.ciphertext])) : null;
    const credentials = reach.credentials ? await credentialChangesSince(opts.db, built) : [];
    const approvals = reach.approvals ? approvalIndex(await liveDecisions(opts.db, new Date().toISOString())) : null;
    // MCP servers' own sealed material: only what differs is staged, so only those servers are reopened (their rows come with `changes`).
    const mcpSealed = reach.mcpSecrets ? new Map((await loadMcpSecrets(opts.db)).map((r) => [`${r.owner_type}\n${r.owner_id}`, r.ciphertext])) : null;
    if (sealed) {
      for (const [id, text] of compiler.sealed) if (sealed.get(id) !== text) compiler.stageSecret(id, sealed.get(id) ?? null);
      for (const [id, text] of sealed) if (!compiler.sealed.has(id)) compiler.stageSecret(id, text);
    }
    if (mcpSealed) {
      const stage = (key: string, text: string | null) => {
        const split = key.indexOf('\n');
        compiler.stageMcpSecret(key.slice(0, split), key.slice(split + 1), text);
      };
      for (const [key, text] of compiler.mcpSealed) if (mcpSealed.get(key) !== text) stage(key, mcpSealed.get(key) ?? null);
      for (const [key, text] of mcpSealed) if (!compiler.mcpSealed.has(key)) stage(key, text);
    }
    await stageInSlices(compiler, changes);
    const { config, profiles } = await compiler.commitInSlices();
    const packed = repack || credentials === null ? await loadTokenIndex(opts.db, compiler.resolve) : null;
    // Credential rows to apply on top: those changed since `built`, and any applied in place while this pass read.
    const rowSets = [];
    const done = new Set<string>();
    const pending = [...(credentials ?? [])];
    for (;;) {
      for (const id of changedDuringBuild ?? []) if (!done.has(id)) pending.push(id);
      const id = pending.pop();
      if (id === undefined) break;
      if (done.has(id)) continue;
      done.add(id);
      const rows = await loadSiblingCredentials(opts.db, id);
      if (rows) rowSets.push(rows);
    }
    // From here on nothing awaits: the live index (not the one at the start) is the base, so no change applied meanwhile is lost.
    let next: Snapshot = {
      ...config,
      builtAt: Date.now(),
      approvals: approvals ?? snapshot.approvals,
      tokens: packed ?? snapshot.tokens.withProfiles(profiles, compiler.resolve),
    };
    for (const rows of rowSets) next = withCredentials(next, rows);
    if (packed) repack = false;
    snapshot = next;
    built = version;
    seenUnjournaled = unjournaled;
  }

  async function passLoop(): Promise<void> {
    // A change arriving mid-pass may have missed the read, so go again until no change is pending.
    while (dirty && !closed) {
      dirty = false;
      changedDuringBuild = [];
      try {
        if (full) {
          full = false;
          const next = await rebuild();
          let result = next.snapshot;
          for (const id of changedDuringBuild) {
            const rows = await loadSiblingCredentials(opts.db, id);
            if (rows) result = withCredentials(result, rows);
          }
          snapshot = result;
          compiler = next.compiler;
          lastFullScan = Date.now();
          built = next.version;
          seenUnjournaled = next.unjournaled;
        } else await sync();
      } catch (err) {
        opts.onError?.(err);
        // What the failed pass was told is lost: the next one reads everything.
        notified = null;
        retry ??= setTimeout(() => {
          retry = null;
          schedule(false);
        }, RETRY_MS);
        retry.unref();
        return;
      } finally {
        changedDuringBuild = null;
      }
    }
  }

  function schedule(rebuildAll: boolean): Promise<void> {
    dirty = true;
    if (rebuildAll) full = true;
    running ??= passLoop().finally(() => {
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
    if (snapshot.tokens.changed > MAX_CHANGED_CREDENTIALS) {
      repack = true;
      void schedule(false);
    }
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

  // The executor hands each committed change over twice, through the feed and after its commit (so
  // the call answers once it is live): one application serves both, not a second pass of ~8 queries.
  const applying = new WeakMap<ConfigChange, Promise<void>>();
  function apply(change: ConfigChange): Promise<void> {
    let applied = applying.get(change);
    if (!applied) {
      applied = applyOnce(change);
      applying.set(change, applied);
    }
    return applied;
  }

  async function applyOnce(change: ConfigChange): Promise<void> {
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
    const writes = committedWritesOf(change);
    if (writes && change.seq && handed) handed.push({ seq: change.seq, writes });
    else handed = null;
    notified?.add(change.resourceType);
    return schedule(false);
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
              (version) => (version !== built ? schedule(false) : undefined),
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
    refresh: () => schedule(true),
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
