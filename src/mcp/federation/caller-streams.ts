import type { ServerResponse } from 'node:http';
import { GatehouseError, type UpstreamTarget, type VirtualTarget } from '../../core/index.js';
import type { UpstreamNotification, UpstreamPool } from '../../gateway/federation/index.js';
import type { RelayGuard } from '../../gateway/index.js';
import { resourceRoutes } from './extras.js';
import { judgedNotices } from './judged-notices.js';

type ListChanged = 'notifications/tools/list_changed' | 'notifications/prompts/list_changed' | 'notifications/resources/list_changed';

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
 * said so, or its configuration changed), the same for prompts and resources (of upstreams it curates
 * them from), and what the caller's own upstream sessions announce — log
 * messages (after `logging/setLevel`) and `notifications/resources/updated` of the resources the
 * virtual server serves (after `resources/subscribe`). It hears the upstream sessions of every node
 * the change feed reaches (the pool's fanout), not only this node's. Bounded in number and lifetime.
 * A log message passes the guardrails `judge` gives for its upstream (see sessionGuard) first.
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
  open(res: ServerResponse, target: VirtualTarget, subject: string, judge?: (upstream: UpstreamTarget) => RelayGuard | undefined): void {
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
      // A judged log message can come after the stream has closed.
      if (res.writableEnded || res.destroyed) return;
      res.write(`id: ${++eventId}\nevent: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...message })}\n\n`);
    };
    // Each upstream's log messages in the order it sent them, through its guardrails as they are when each arrives
    // (a workflow changed while the stream is open judges the next message).
    const logs = new Map<string, (message: UpstreamNotification) => void>();
    const logOf = (upstream: UpstreamTarget) => {
      let log = logs.get(upstream.id);
      if (!log) {
        const guard: RelayGuard | undefined = judge && {
          toCaller: async (method, params) => judge(upstream)?.toCaller(method, params) ?? params,
          toUpstream: async (_method, params) => params,
        };
        const { notify } = judgedNotices(guard, (method, params) => write({ method, ...(params ? { params } : {}) }));
        log = (message) => notify(message.method, message.params);
        logs.set(upstream.id, log);
      }
      return log;
    };
    const byId = new Map(target.upstreams.map((u) => [u.id, u]));
    const curatesPrompts = new Set(target.prompts.map((p) => p.upstreamId));
    const curatesResources = new Set(target.resources.map((r) => r.upstreamId));
    const pending = new Map<ListChanged, NodeJS.Timeout>();
    // Several upstream sessions (and nodes' change notices) say it at once: the caller hears it once.
    const changed = (method: ListChanged) => {
      if (pending.has(method)) return;
      pending.set(
        method,
        setTimeout(() => {
          pending.delete(method);
          write({ method });
        }, 50),
      );
    };
    const stop = this.pool.onNotification((from, n) => {
      if (from !== null && !upstreams.has(from.id)) return;
      if (n.method === 'notifications/tools/list_changed') {
        changed('notifications/tools/list_changed');
        // The configuration changed (not an upstream): its curated prompts and resources may have too.
        if (from === null && target.prompts.length > 0) changed('notifications/prompts/list_changed');
        if (from === null && target.resources.length > 0) changed('notifications/resources/list_changed');
        return;
      }
      if (from === null) return;
      // Prompts and resources change for every caller, but only those of upstreams the server curates them from.
      if (n.method === 'notifications/prompts/list_changed') {
        if (curatesPrompts.has(from.id)) changed(n.method);
        return;
      }
      if (n.method === 'notifications/resources/list_changed') {
        if (curatesResources.has(from.id)) changed(n.method);
        return;
      }
      // Anything else is what one caller's upstream session said: only that caller hears it.
      if (from.sessionScope !== subject) return;
      if (n.method === 'notifications/message') {
        const upstream = byId.get(from.id);
        if (upstream) logOf(upstream)(n);
      } else if (n.method === 'notifications/resources/updated' && typeof n.params?.uri === 'string' && servedBy(n.params.uri)?.id === from.id) write(n);
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
      for (const timer of pending.values()) clearTimeout(timer);
      this.#total--;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left <= 0) this.#open.delete(key);
      else this.#open.set(key, left);
    });
  }
}
