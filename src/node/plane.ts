import type { AuditEntry, GatehouseConfig } from '../core/index.js';
import { type StdioLog, StdioSupervisor, type UserTokens } from '../gateway/federation/index.js';
import { Executor } from '../management/executor.js';
import { createRegistry } from '../management/registry.js';
import type { ChangeFeed, ConfigChange } from '../store/change-feed.js';
import { type Database, openDatabase } from '../store/database.js';
import { checkMasterKey, loadMasterKey } from '../store/master-key.js';
import { migrate } from '../store/migrate.js';
import { openChangeFeed } from '../store/open-change-feed.js';
import { abandonStaleJobs, JOB_STALE_MS } from '../store/repositories/jobs.js';
import { countUsers } from '../store/repositories/users.js';
import { SecretBox } from '../store/secret-box.js';
import { alwaysAvailable, type StoreProbe, type StoreProbeTiming, startPostgresProbe } from './store-probe.js';

/** The management plane of one node: the migrated store, the secret box, the change feed and the executor. */
export interface ManagementPlane {
  readonly database: Database;
  readonly secrets: SecretBox;
  readonly changes: ChangeFeed;
  readonly executor: Executor;
  /** This node's stdio upstream children (curation and virtual servers share them); closed with the plane. */
  readonly stdio: StdioSupervisor;
  /** Sets what a committed write waits for on this node (the snapshot rebuild), so its caller's next request sees it. */
  applyCommitsWith(apply: (change: ConfigChange) => Promise<void>): void;
  /** Hands each committed audit entry to `sink` too (OpenTelemetry export). */
  sendAuditsTo(sink: (entry: AuditEntry) => void): void;
  /** Hands the management plane people's upstream tokens (per-user upstreams are curated as the admin curating). */
  lendPerUserTokens(tokens: UserTokens): void;
  /** The store's health as the background probe last saw it (never waits on the store). */
  readonly storeHealth: StoreProbe;
  countUsers(): Promise<number>;
  close(): Promise<void>;
}

/** The store options a config names (the request-log writer's worker opens its own connection with the same). */
export function storeOptions(config: GatehouseConfig) {
  return {
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}),
  };
}

/**
 * Jobs a node left unfinished (it crashed or was killed mid-job) are marked abandoned, never left
 * "running": on SQLite those whose process is gone, on PostgreSQL those whose heartbeat stopped
 * (other nodes may be running theirs). Reads show them abandoned anyway, so this is best effort:
 * a file busy with another process's apply must not stop a node (or a local command) starting.
 */
async function abandonLeftJobs(database: Database, log: (msg: string, err: unknown) => void): Promise<void> {
  const now = new Date();
  const before = database.dialect === 'sqlite' ? undefined : new Date(now.getTime() - JOB_STALE_MS).toISOString();
  await abandonStaleJobs(database.db, now.toISOString(), before).catch((err: unknown) => log('could not mark abandoned jobs', err));
}

/** Waits for this node's jobs to end, at most `ms`. */
async function settleJobs(executor: Executor, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([executor.jobs.settle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Opens the store, migrates it (under a lock), opens the secret box and the change feed (`feed`, or the one the config names), and builds the executor. */
export async function openManagementPlane(
  config: GatehouseConfig,
  log: (msg: string, err: unknown) => void,
  feed?: ChangeFeed & { close(): Promise<void> },
  stdioLog: StdioLog = { info: () => undefined, warn: (detail, msg) => log(msg, detail) },
  probeTiming?: StoreProbeTiming,
): Promise<ManagementPlane> {
  const database = openDatabase(storeOptions(config));
  let storeHealth: StoreProbe | undefined;
  try {
    await migrate(database);
    const secrets = new SecretBox(loadMasterKey(config.dataDir, config.secretKey).key);
    await checkMasterKey(database.db, secrets);
    await abandonLeftJobs(database, log);
    const changes = feed ?? (await openChangeFeed(config, (err) => log('change feed error', err)));
    let apply: (change: ConfigChange) => Promise<void> = async () => {};
    let audited: (entry: AuditEntry) => void = () => {};
    let perUser: UserTokens | null = null;
    const stdio = new StdioSupervisor({ enabled: config.federationStdio, log: stdioLog });
    storeHealth = config.databaseUrl ? startPostgresProbe(config.databaseUrl, config.databaseSchema, probeTiming) : alwaysAvailable();
    const executor = new Executor({
      storeHealth,
      database,
      registry: createRegistry({
        openapiImport: config.openapiImport,
        federation: { tokenEndpoints: config.tokenEndpoints, allowPrivateUpstreams: config.mcpAllowPrivateUpstreams, perUser: () => perUser, stdio },
      }),
      secrets,
      changes,
      afterCommit: (change) => apply(change),
      onAudit: (entry) => audited(entry),
      log,
      jobRetention: { maxAgeMs: config.jobRetentionDays * 86_400_000, maxFinished: config.jobsKept },
    });
    // Finished jobs past the retention go at start-up too, not only when the next job ends; not
    // awaited: on SQLite another process's apply may hold the file, and start-up must not wait on it.
    void executor.jobs.prune();
    return {
      database,
      secrets,
      changes,
      executor,
      stdio,
      applyCommitsWith(next) {
        apply = next;
      },
      lendPerUserTokens(tokens) {
        perUser = tokens;
      },
      sendAuditsTo(sink) {
        audited = sink;
      },
      storeHealth,
      countUsers: () => countUsers(database.db),
      async close() {
        // A job that ends within the shutdown bound stores its end; one that does not is read as abandoned.
        await settleJobs(executor, config.shutdownTimeoutMs);
        await stdio.close();
        await storeHealth?.close();
        await changes.close();
        await database.close();
      },
    };
  } catch (err) {
    await storeHealth?.close();
    await database.close();
    throw err;
  }
}
