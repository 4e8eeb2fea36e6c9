import type pg from 'pg';
import type { StoreHealth } from '../management/executor.js';
import { loadPg } from '../store/database.js';

/** How often the store is asked, and how long an answer may take before the store counts as stalled. */
export interface StoreProbeTiming {
  intervalMs: number;
  timeoutMs: number;
}

export const DEFAULT_PROBE_TIMING: StoreProbeTiming = { intervalMs: 500, timeoutMs: 500 };

/** The store's health as the probe last saw it, for `/readyz` and the executor; `close` stops probing. */
export interface StoreProbe extends StoreHealth {
  /** Probes now (unless a probe is in flight), without waiting for the next interval. */
  poke(): void;
  close(): Promise<void>;
}

/**
 * Asks PostgreSQL `select 1` in the background, on a connection of its own (so a busy pool never
 * looks like a stalled server), and keeps the answer: the store is unavailable from the moment
 * a probe fails or goes unanswered past the timeout — a server frozen mid-connection answers
 * nothing and refuses nothing — until a probe is answered again. Readers never wait on it. At
 * most one probe is in flight, so a frozen server holds one connection, not one per tick.
 */
export function startPostgresProbe(url: string, pgSchema: string | undefined, timing: StoreProbeTiming = DEFAULT_PROBE_TIMING): StoreProbe {
  let client: pg.Client | null = null;
  let probe: StoreProbe | null = null;
  const connect = async (): Promise<pg.Client> => {
    const fresh = new (loadPg().Client)({
      connectionString: url,
      connectionTimeoutMillis: timing.timeoutMs,
      ...(pgSchema ? { options: `-c search_path=${pgSchema}` } : {}),
    });
    fresh.on('error', () => {});
    // A connection the server (or the network) closed is news: probe again now rather than at the next interval.
    fresh.once('end', () => {
      if (client === fresh) client = null;
      probe?.poke();
    });
    await fresh.connect();
    return fresh;
  };
  const drop = () => {
    // Not awaited: ending a connection to a frozen server waits for the server.
    client?.end().catch(() => {});
    client = null;
  };
  // A probe closed while its first connection is still opening (a CLI command that ends at once)
  // ends that connection when it opens: left open, it would keep the process alive.
  let stopped = false;
  probe = watch(
    async () => {
      try {
        client ??= await connect();
        if (stopped) return drop();
        await client.query('select 1');
      } catch (err) {
        drop();
        throw err;
      }
    },
    timing,
    async () => {
      stopped = true;
      drop();
    },
  );
  return probe;
}

/** A probe that never sees a stall: SQLite runs in this process, so a store that stalls stalls the node with it. */
export function alwaysAvailable(): StoreProbe {
  return { available: () => true, onUnavailable: () => () => {}, poke: () => {}, close: async () => {} };
}

/** Runs `ping` every interval (never two at once) and tracks whether the last one answered in time. */
export function watch(ping: () => Promise<void>, timing: StoreProbeTiming, release: () => Promise<void> = async () => {}): StoreProbe {
  let available = true;
  let inFlightSince: number | null = null;
  let lastStart = 0;
  let closed = false;
  const listeners = new Set<() => void>();
  const set = (now: boolean) => {
    if (now === available) return;
    available = now;
    if (!now) for (const listener of [...listeners]) listener();
  };
  const tick = (force = false) => {
    if (closed) return;
    const now = Date.now();
    if (inFlightSince !== null) {
      if (now - inFlightSince >= timing.timeoutMs) {
        // Judged after this turn's I/O: when the node's own loop was busy (not the store), the answer
        // is already waiting and is read in this turn's poll phase, after timers and before this.
        const since = inFlightSince;
        setImmediate(() => {
          if (!closed && inFlightSince === since) set(false);
        });
      }
      return;
    }
    if (!force && now - lastStart < timing.intervalMs) return;
    lastStart = now;
    inFlightSince = now;
    ping().then(
      () => {
        inFlightSince = null;
        set(true);
      },
      () => {
        inFlightSince = null;
        set(false);
      },
    );
  };
  // Ticks finer than the interval, so a stall is seen within a tick of the timeout.
  const timer = setInterval(() => tick(), Math.max(10, Math.min(timing.intervalMs, timing.timeoutMs) / 4));
  timer.unref();
  tick();
  return {
    available: () => available,
    onUnavailable(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    poke: () => tick(true),
    async close() {
      closed = true;
      clearInterval(timer);
      listeners.clear();
      await release();
    },
  };
}
