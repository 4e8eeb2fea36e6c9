import type { McpServerHealth, UpstreamHealthRow, UpstreamHealthStore } from '../../core/index.js';

export type { UpstreamHealthRow, UpstreamHealthStore };

/** How a node's sessions of an upstream stand right now (see UpstreamHealth.snapshot). */
export type SessionState = McpServerHealth['session'];

interface Tracked {
  name: string;
  /** Milliseconds, formatted only when read: a success is counted on every call. */
  lastSuccessMs: number | null;
  lastError: { at: string; message: string } | null;
  lastReinitializedAt: string | null;
  toolsCount: number | null;
  restarts: number | null;
}

/**
 * Per upstream: the last successful exchange, the last error (time and message), when a lost session
 * was last re-opened, its tools count and (stdio) restarts — counted in memory on the hot path (a
 * few assignments per call), handed to the store in batches of what changed.
 */
export class UpstreamHealth {
  readonly #byId = new Map<string, Tracked>();
  readonly #dirty = new Set<string>();
  readonly #now: () => number;
  readonly #urgent: () => void;

  /** `urgent` is told when something worth writing soon happened (a first success, an error, a re-opened session, a restart). */
  constructor(now: () => number = Date.now, urgent: () => void = () => undefined) {
    this.#now = now;
    this.#urgent = urgent;
  }

  #of(serverId: string, name: string): Tracked {
    let t = this.#byId.get(serverId);
    if (!t) {
      t = { name, lastSuccessMs: null, lastError: null, lastReinitializedAt: null, toolsCount: null, restarts: null };
      this.#byId.set(serverId, t);
    }
    t.name = name;
    return t;
  }

  #at(): string {
    return new Date(this.#now()).toISOString();
  }

  succeeded(serverId: string, name: string): void {
    const t = this.#of(serverId, name);
    const first = t.lastSuccessMs === null || (t.lastError !== null && Date.parse(t.lastError.at) > t.lastSuccessMs);
    t.lastSuccessMs = this.#now();
    this.#dirty.add(serverId);
    if (first) this.#urgent();
  }

  failed(serverId: string, name: string, message: string): void {
    this.#of(serverId, name).lastError = { at: this.#at(), message: message.slice(0, 300) };
    this.#dirty.add(serverId);
    this.#urgent();
  }

  reinitialized(serverId: string, name: string): void {
    this.#of(serverId, name).lastReinitializedAt = this.#at();
    this.#dirty.add(serverId);
    this.#urgent();
  }

  toolsListed(serverId: string, name: string, count: number): void {
    const t = this.#of(serverId, name);
    if (t.toolsCount === count) return;
    t.toolsCount = count;
    this.#dirty.add(serverId);
  }

  /** A supervised (stdio) upstream was restarted; HTTP upstreams keep `restarts` null. */
  restarted(serverId: string, name: string): void {
    const t = this.#of(serverId, name);
    t.restarts = (t.restarts ?? 0) + 1;
    this.#dirty.add(serverId);
    this.#urgent();
  }

  /** Marks a server's row for the next write (its sessions changed). */
  touch(serverId: string): void {
    if (this.#byId.has(serverId)) this.#dirty.add(serverId);
  }

  /** Every upstream this node has seen, with its session state now (`sessionOf`). */
  snapshot(sessionOf: (serverId: string) => SessionState): UpstreamHealthRow[] {
    return [...this.#byId.keys()].map((id) => this.#row(id, sessionOf));
  }

  /** The rows changed since the last call, now (for the store); they count as written. */
  takeChanged(sessionOf: (serverId: string) => SessionState): UpstreamHealthRow[] {
    const rows = [...this.#dirty].map((id) => this.#row(id, sessionOf));
    this.#dirty.clear();
    return rows;
  }

  /** Rows whose write failed: written with the next batch. */
  retry(rows: readonly UpstreamHealthRow[]): void {
    for (const r of rows) this.#dirty.add(r.serverId);
  }

  #row(serverId: string, sessionOf: (serverId: string) => SessionState): UpstreamHealthRow {
    const t = this.#byId.get(serverId)!;
    return {
      serverId,
      name: t.name,
      lastSuccessAt: t.lastSuccessMs === null ? null : new Date(t.lastSuccessMs).toISOString(),
      lastError: t.lastError,
      lastReinitializedAt: t.lastReinitializedAt,
      session: sessionOf(serverId),
      toolsCount: t.toolsCount,
      restarts: t.restarts,
      updatedAt: this.#at(),
    };
  }
}
