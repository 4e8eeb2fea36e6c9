import { Pool } from 'undici';
import type { TlsPlan } from '../credentials/tls-plan.js';
import type { CompiledProxy } from '../snapshot/types.js';

const FAILURES_TO_SKIP = 3;
const COOLDOWN_MS = 10_000;

/** Passive health of one upstream target: skipped for a cooldown after consecutive failures. */
export class TargetHealth {
  private failures = 0;
  private downUntil = 0;

  succeeded(): void {
    this.failures = 0;
    this.downUntil = 0;
  }

  failed(now: number): void {
    // After the cooldown one trial call decides: a further failure skips it again at once.
    if (++this.failures >= FAILURES_TO_SKIP) this.downUntil = now + COOLDOWN_MS;
  }

  isUp(now: number): boolean {
    return this.downUntil <= now;
  }
}

/** One upstream URL: its connection pool, base path and health. */
export interface RestTarget {
  readonly pool: Pool;
  /** The target URL's path without a trailing slash ('' for the root). */
  readonly basePath: string;
  readonly health: TargetHealth;
  /** Its connections present a client certificate (an mtls backend credential). */
  readonly clientCertificate: boolean;
  /** Host name and port, for the upstream span of a traced call. */
  readonly host: string;
  readonly port: number;
}

/** A proxy's targets, balanced round-robin over the healthy ones. */
export class UpstreamSet {
  private cursor = 0;
  constructor(readonly targets: readonly RestTarget[]) {}

  /** The next healthy target; when all are down, the next one anyway. */
  pick(now: number): RestTarget {
    const n = this.targets.length;
    for (let i = 0; i < n; i++) {
      const idx = (this.cursor + i) % n;
      const t = this.targets[idx]!;
      if (t.health.isUp(now)) {
        this.cursor = idx + 1;
        return t;
      }
    }
    return this.targets[this.cursor++ % n]!;
  }
}

/** Options for upstream connection pools. */
export interface RestPoolOptions {
  /** Most open connections per upstream origin. Default 256. */
  connectionsPerOrigin?: number;
  /** Idle keep-alive time of an upstream connection. Default 4 s. */
  keepAliveTimeoutMs?: number;
  /** A pool with no call for at least this long (and at most twice it) is closed. Default 60 s. */
  idleCloseMs?: number;
}

/** One pool key's connection pool and how often calls took it since the last sweep. */
interface PoolEntry {
  readonly key: string;
  readonly pool: Pool;
  uses: number;
  closed: boolean;
}

/** An upstream target whose pool, once closed for idleness, is reopened by its next call. */
class PooledTarget implements RestTarget {
  constructor(
    private entry: PoolEntry,
    private readonly reopen: (key: string) => PoolEntry | null,
    readonly basePath: string,
    readonly health: TargetHealth,
    readonly clientCertificate: boolean,
    readonly host: string,
    readonly port: number,
  ) {}

  get pool(): Pool {
    if (this.entry.closed) this.entry = this.reopen(this.entry.key) ?? this.entry;
    this.entry.uses++;
    return this.entry.pool;
  }
}

/**
 * Connection pools and health per upstream, kept across snapshot swaps so a config change
 * neither drops warm keep-alive connections nor forgets which targets are failing. Pools are
 * keyed by their connect settings, so every edit of a proxy's timeouts or client certificate
 * makes a new one; a sweep closes pools that no call took for a whole `idleCloseMs` and that have
 * nothing in flight (their keep-alive connections are long gone), so the open pools stay those in use.
 */
export class UpstreamRegistry {
  private readonly pools = new Map<string, PoolEntry>();
  private readonly health = new Map<string, TargetHealth>();
  private readonly sets = new WeakMap<CompiledProxy, UpstreamSet>();
  private readonly sweeper: NodeJS.Timeout;
  private shut = false;

  constructor(private readonly opts: RestPoolOptions = {}) {
    this.sweeper = setInterval(() => this.sweep(), opts.idleCloseMs ?? 60_000);
    this.sweeper.unref();
  }

  /** A target set for upstream URLs of a workflow route group: one per group per compiled workflow. */
  setForUrls(urls: readonly string[], connectMs: number, tls: TlsPlan | null): UpstreamSet {
    return new UpstreamSet(urls.map((u) => this.target(u, connectMs, tls)));
  }

  /** The target set of a compiled proxy, built on first use. */
  setFor(compiled: CompiledProxy): UpstreamSet {
    let set = this.sets.get(compiled);
    if (!set) {
      const connectMs = compiled.proxy.timeouts.connectMs;
      set = new UpstreamSet(compiled.proxy.upstreams.map((u) => this.target(u, connectMs, compiled.tls)));
      this.sets.set(compiled, set);
    }
    return set;
  }

  /** How many connection pools are open. */
  openPools(): number {
    return this.pools.size;
  }

  /** Closes the pools no call took since the previous sweep, once nothing is in flight on them. */
  sweep(): void {
    for (const entry of this.pools.values()) {
      if (entry.uses > 0 || entry.pool.stats.size > 0) {
        entry.uses = 0;
        continue;
      }
      entry.closed = true;
      this.pools.delete(entry.key);
      void entry.pool.close().catch(() => {});
    }
  }

  private target(url: string, connectMs: number, tls: TlsPlan | null): RestTarget {
    const parsed = new URL(url);
    // TLS settings only shape https connections; a rotated client certificate gets a pool of its own.
    const plan = parsed.protocol === 'https:' ? tls : null;
    const poolKey = `${parsed.origin}|${connectMs}|${plan?.key ?? ''}`;
    const reopen = (key: string): PoolEntry | null => (this.shut ? null : open(key));
    const open = (key: string): PoolEntry => {
      let entry = this.pools.get(key);
      if (!entry) {
        const pool = new Pool(parsed.origin, {
          connections: this.opts.connectionsPerOrigin ?? 256,
          keepAliveTimeout: this.opts.keepAliveTimeoutMs ?? 4_000,
          connect: { timeout: connectMs, ...plan?.connect },
        });
        // A new pool counts as used, so a set built just before a sweep keeps it.
        entry = { key, pool, uses: 1, closed: false };
        this.pools.set(key, entry);
      }
      return entry;
    };
    let health = this.health.get(url);
    if (!health) {
      health = new TargetHealth();
      this.health.set(url, health);
    }
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return new PooledTarget(open(poolKey), reopen, parsed.pathname.replace(/\/+$/, ''), health, plan?.connect.cert !== undefined, parsed.hostname, port);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.shut = true;
    const entries = [...this.pools.values()];
    this.pools.clear();
    for (const entry of entries) entry.closed = true;
    await Promise.all(entries.map((e) => e.pool.close()));
  }
}
