import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';
import type { VirtualTarget } from '../../core/index.js';
import type { UpstreamNotification, UpstreamPool } from '../../gateway/federation/index.js';
import { type McpLog, report } from '../kit/log.js';
import { resourceRoutes } from './extras.js';

/** What a `subscriptions/listen` stream opened within `CallerListenBus.within` is for. */
export interface ListenScope<C extends { subject: string }> {
  target: VirtualTarget;
  caller: C;
  /** The URIs the listen request names in `resourceSubscriptions` (at most `MAX_LISTENED_URIS`). */
  uris: readonly string[];
  /** `resources/subscribe` (or unsubscribe) in the caller's own upstream session; absent when the server curates no resources. */
  subscribe?: (caller: C, uri: string, on: boolean) => Promise<void>;
}

/** Resource URIs one listen stream may subscribe to. */
export const MAX_LISTENED_URIS = 32;
/** Listen streams one caller may hold open at one virtual server (on one node). */
export const MAX_LISTENS_PER_CALLER = 16;

type Listener = (event: ServerEvent) => void;
type ListKind = 'tools_list_changed' | 'prompts_list_changed' | 'resources_list_changed';

/** The URIs of a `subscriptions/listen` request's `resourceSubscriptions` (not validated: the SDK does). */
export function listenedUris(message: unknown): string[] {
  const params = (message as { params?: { notifications?: { resourceSubscriptions?: unknown } } } | null)?.params;
  const uris = params?.notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string') : [];
}

/**
 * The change-event bus of a virtual server's 2026-07-28 `subscriptions/listen` streams, delivering
 * per caller instead of broadcasting: a stream hears list changes of its own virtual server's
 * upstreams, and `notifications/resources/updated` only of the resources it subscribed to, as its
 * caller's own upstream session announces them (another caller naming the same URI hears nothing
 * of it). The SDK registers a stream's listener while serving the listen request, inside `within`:
 * that is how the bus knows whose stream it is. Upstream subscriptions end with the stream.
 */
export class CallerListenBus<C extends { subject: string }> implements ServerEventBus {
  readonly #scope = new AsyncLocalStorage<ListenScope<C>>();
  /** Every open stream's listener: the SDK's own `notify` reaches them all. */
  readonly #listeners = new Set<Listener>();
  readonly #open = new Map<string, number>();
  /** Listen streams per caller and resource: the upstream subscription is held while one is open. */
  readonly #subscribed = new Map<string, number>();

  constructor(
    private readonly pool: UpstreamPool,
    private readonly log: McpLog,
  ) {}

  /** Runs `serve` (the listen request's handling) with what a stream opened inside it is for. */
  within<T>(scope: ListenScope<C>, serve: () => T): T {
    return this.#scope.run(scope, serve);
  }

  /** The listen streams `subject` holds open at `slug` on this node. */
  openBy(subject: string, slug: string): number {
    return this.#open.get(`${slug} ${subject}`) ?? 0;
  }

  publish(event: ServerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  subscribe(listener: Listener): () => void {
    const scope = this.#scope.getStore();
    // A listen stream opened outside `within` hears only what is published to every stream.
    if (!scope) {
      this.#listeners.add(listener);
      return () => this.#listeners.delete(listener);
    }
    const { target, caller } = scope;
    const key = `${target.slug} ${caller.subject}`;
    this.#open.set(key, (this.#open.get(key) ?? 0) + 1);
    const { servedBy } = resourceRoutes(target);
    const uris = new Set(scope.uris.slice(0, MAX_LISTENED_URIS).filter((uri) => servedBy(uri) !== undefined));
    for (const uri of uris) this.#hold(scope, uri, +1);
    const upstreams = new Set(target.upstreams.map((u) => u.id));
    const curatesPrompts = new Set(target.prompts.map((p) => p.upstreamId));
    const curatesResources = new Set(target.resources.map((r) => r.upstreamId));
    const pending = new Map<ListKind, NodeJS.Timeout>();
    // Several upstream sessions (and nodes' change notices) say it at once: the stream hears it once.
    const changed = (kind: ListKind) => {
      if (pending.has(kind)) return;
      pending.set(
        kind,
        setTimeout(() => {
          pending.delete(kind);
          listener({ kind });
        }, 50),
      );
    };
    const heard = (from: { id: string; sessionScope?: string | undefined } | null, n: UpstreamNotification) => {
      if (from !== null && !upstreams.has(from.id)) return;
      if (n.method === 'notifications/tools/list_changed') {
        changed('tools_list_changed');
        // Definitions were invalidated (the virtual server's configuration changed): its curated prompts and resources may have too.
        if (from === null && target.prompts.length > 0) changed('prompts_list_changed');
        if (from === null && target.resources.length > 0) changed('resources_list_changed');
      } else if (n.method === 'notifications/prompts/list_changed' && from !== null && curatesPrompts.has(from.id)) changed('prompts_list_changed');
      else if (n.method === 'notifications/resources/list_changed' && from !== null && curatesResources.has(from.id)) changed('resources_list_changed');
      else if (n.method === 'notifications/resources/updated' && from !== null && from.sessionScope === caller.subject) {
        // Only this caller's own upstream session speaks for its subscriptions.
        const uri = n.params?.uri;
        if (typeof uri === 'string' && uris.has(uri) && servedBy(uri)?.id === from.id) listener({ kind: 'resource_updated', uri });
      }
    };
    const stop = this.pool.onNotification(heard);
    this.#listeners.add(listener);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      stop();
      this.#listeners.delete(listener);
      for (const timer of pending.values()) clearTimeout(timer);
      for (const uri of uris) this.#hold(scope, uri, -1);
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left <= 0) this.#open.delete(key);
      else this.#open.set(key, left);
    };
  }

  /** Counts a stream in or out of a resource; the caller's upstream session subscribes with the first and unsubscribes after the last. */
  #hold(scope: ListenScope<C>, uri: string, by: 1 | -1): void {
    const key = `${scope.target.slug} ${scope.caller.subject} ${uri}`;
    const count = (this.#subscribed.get(key) ?? 0) + by;
    if (count <= 0) this.#subscribed.delete(key);
    else this.#subscribed.set(key, count);
    const first = by === 1 && count === 1;
    const last = by === -1 && count <= 0;
    if (!scope.subscribe || !(first || last)) return;
    scope
      .subscribe(scope.caller, uri, first)
      .catch((err: unknown) => report(this.log, `resources/${first ? '' : 'un'}subscribe for a listen stream failed`, err));
  }
}
