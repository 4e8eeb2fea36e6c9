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
export interface UpstreamTarget {
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
  constructor(readonly targets: readonly UpstreamTarget[]) {}

  /** The next healthy target; when all are down, the next one anyway. */
  pick(now: number): UpstreamTarget {
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
export interface UpstreamPoolOptions {
  /** Most open connections per upstream origin. Default 256. */
  connectionsPerOrigin?: number;
  /** Idle keep-alive time of an upstream connection. Default 4 s. */
  keepAliveTimeoutMs?: number;
}

/**
 * Connection pools and health per upstream, kept across snapshot swaps so a config change
 * neither drops warm keep-alive connections nor forgets which targets are failing.
 */
export class UpstreamRegistry {
  private readonly pools = new Map<string, Pool>();
  private readonly health = new Map<string, TargetHealth>();
  private readonly sets = new WeakMap<CompiledProxy, UpstreamSet>();

  constructor(private readonly opts: UpstreamPoolOptions = {}) {}

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

  private target(url: string, connectMs: number, tls: TlsPlan | null): UpstreamTarget {
    const parsed = new URL(url);
    // TLS settings only shape https connections; a rotated client certificate gets a pool of its own.
    const plan = parsed.protocol === 'https:' ? tls : null;
    const poolKey = `${parsed.origin}|${connectMs}|${plan?.key ?? ''}`;
    let pool = this.pools.get(poolKey);
    if (!pool) {
      pool = new Pool(parsed.origin, {
        connections: this.opts.connectionsPerOrigin ?? 256,
        keepAliveTimeout: this.opts.keepAliveTimeoutMs ?? 4_000,
        connect: { timeout: connectMs, ...plan?.connect },
      });
      this.pools.set(poolKey, pool);
    }
    let health = this.health.get(url);
    if (!health) {
      health = new TargetHealth();
      this.health.set(url, health);
    }
    return {
      pool,
      basePath: parsed.pathname.replace(/\/+$/, ''),
      health,
      clientCertificate: plan?.connect.cert !== undefined,
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80,
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
