import type { ServerResponse } from 'node:http';
import { GatehouseError, type VirtualTarget } from '../../core/index.js';
import type { UpstreamNotification, UpstreamPool } from '../../gateway/federation/index.js';
import { resourceRoutes } from './extras.js';

export interface CallerStreamsOptions {
  /** Streams one node holds at once. */
  max?: number;
  /** Streams one caller holds at once (at one virtual server). */
  perCaller?: number;
  /** A stream is closed after this long; the client opens another (the transport specification lets it). */
  lifetimeMs?: number;
  keepAliveMs?: number;
}

/**
 * The standalone event streams (`GET` with a session id) 2025-era callers keep open: they carry
 * `notifications/tools/list_changed` when the virtual server's tools may have changed (an upstream
 * said so, or its configuration changed), and what the caller's own upstream sessions announce — log
 * messages (after `logging/setLevel`) and `notifications/resources/updated` of the resources the
 * virtual server serves (after `resources/subscribe`). A stream is this node's: it hears the
 * upstream sessions this node holds (session-affine; see the README). Bounded in number and lifetime.
 */
export class CallerStreams {
  readonly #open = new Map<string, number>();
  #total = 0;
  readonly #max: number;
  readonly #perCaller: number;
  readonly #lifetimeMs: number;
  readonly #keepAliveMs: number;

  constructor(
    private readonly pool: UpstreamPool,
    opts: CallerStreamsOptions = {},
  ) {
    this.#max = opts.max ?? 1_000;
    this.#perCaller = opts.perCaller ?? 16;
    this.#lifetimeMs = opts.lifetimeMs ?? 10 * 60_000;
    this.#keepAliveMs = opts.keepAliveMs ?? 15_000;
  }

  /** Opens a stream for `subject` at `target`; throws GATEHOUSE_RATE_LIMITED past the bounds. */
  open(res: ServerResponse, target: VirtualTarget, subject: string): void {
    const key = `${target.slug} ${subject}`;
    const mine = this.#open.get(key) ?? 0;
    if (this.#total >= this.#max || mine >= this.#perCaller)
      throw new GatehouseError('GATEHOUSE_RATE_LIMITED', 'Too many event streams are open; close one first.');
    this.#open.set(key, mine + 1);
    this.#total++;
    const upstreams = new Set(target.upstreams.map((u) => u.id));
    const { servedBy } = resourceRoutes(target);
    let eventId = 0;
    const write = (message: UpstreamNotification) => {
      res.write(`id: ${++eventId}\nevent: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...message })}\n\n`);
    };
    let listChanged: NodeJS.Timeout | null = null;
    const stop = this.pool.onNotification((from, n) => {
      if (from !== null && !upstreams.has(from.id)) return;
      if (n.method === 'notifications/tools/list_changed') {
        // Several upstream sessions (and nodes' change notices) say it at once: the caller hears it once.
        listChanged ??= setTimeout(() => {
          listChanged = null;
          write({ method: 'notifications/tools/list_changed' });
        }, 50);
        return;
      }
      // Anything else is what one caller's upstream session said: only that caller hears it.
      if (from === null || from.sessionScope !== subject) return;
      if (n.method === 'notifications/message') write(n);
      else if (n.method === 'notifications/resources/updated' && typeof n.params?.uri === 'string' && servedBy(n.params.uri)) write(n);
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' });
    // A priming event (an id, no data) lets the client resume after a reconnect, as 2025-11-25 allows.
    res.write(`id: 0\nretry: 5000\ndata: \n\n`);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), this.#keepAliveMs);
    const end = setTimeout(() => res.end(), this.#lifetimeMs);
    keepAlive.unref();
    end.unref();
    res.once('close', () => {
      stop();
      clearInterval(keepAlive);
      clearTimeout(end);
      if (listChanged) clearTimeout(listChanged);
      this.#total--;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left <= 0) this.#open.delete(key);
      else this.#open.set(key, left);
    });
  }
}
