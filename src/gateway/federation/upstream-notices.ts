import type { UpstreamTarget } from '../../core/index.js';
import { NoticeBudget, type NoticeBudgetOptions, type UpstreamNotification } from './notice-budget.js';
import { scrubSecrets } from './scrub-secrets.js';
import type { Entry } from './upstream-entry.js';
import { secretsOf } from './upstream-errors.js';

/** Which upstream session spoke: its upstream's id and, for a caller's own session, that caller (`sessionScope`). */
export type UpstreamSource = Pick<UpstreamTarget, 'id' | 'sessionScope'>;

/**
 * Hears upstream sessions' notifications: `source` is the session's (its `sessionScope` names the
 * caller whose session it is), on this node or another; null for "every upstream" (definitions were invalidated).
 */
export type UpstreamNotificationListener = (source: UpstreamSource | null, notification: UpstreamNotification) => void;

/** What one node tells the others of a notification its upstream session heard (see UpstreamPoolOptions.fanout). */
interface FannedNotification {
  upstreamId: string;
  sessionScope?: string;
  notification: UpstreamNotification;
}

/** The cluster's channel for upstream notifications: to the other nodes, and from them (the change feed's broadcasts). */
export interface NotificationFanout {
  publish(message: unknown): void;
  subscribe(listener: (message: unknown) => void): () => void;
}

/** A fanned notification as another node sent it, or null when it is not one. */
function fannedFrom(message: unknown): FannedNotification | null {
  const m = message as Partial<FannedNotification> | null;
  if (typeof m !== 'object' || m === null || typeof m.upstreamId !== 'string') return null;
  if (m.sessionScope !== undefined && typeof m.sessionScope !== 'string') return null;
  const n = m.notification as Partial<UpstreamNotification> | undefined;
  if (typeof n !== 'object' || n === null || typeof n.method !== 'string') return null;
  if (n.params !== undefined && (typeof n.params !== 'object' || n.params === null || Array.isArray(n.params))) return null;
  return { upstreamId: m.upstreamId, ...(m.sessionScope !== undefined ? { sessionScope: m.sessionScope } : {}), notification: n as UpstreamNotification };
}

/**
 * What upstream sessions announce, passed to this node's listeners (secrets cut out) and, through
 * the cluster's fan-out, to the other nodes' — and what the other nodes' sessions announced, heard here.
 */
export class UpstreamNotices {
  readonly #listeners = new Set<UpstreamNotificationListener>();
  readonly #fanout: NotificationFanout | undefined;
  readonly #budget: NoticeBudget;
  readonly #unfan: () => void;
  readonly #toolsChangedElsewhere: (upstreamId: string) => void;

  /** `toolsChangedElsewhere`: another node's session of that upstream said its tools changed. */
  constructor(fanout: NotificationFanout | undefined, budget: NoticeBudgetOptions | undefined, toolsChangedElsewhere: (upstreamId: string) => void) {
    this.#fanout = fanout;
    this.#budget = new NoticeBudget(budget);
    this.#toolsChangedElsewhere = toolsChangedElsewhere;
    this.#unfan = fanout?.subscribe((message) => this.#heardElsewhere(message)) ?? (() => undefined);
  }

  /** The cluster's channel, when there is one. */
  get fanout(): NotificationFanout | undefined {
    return this.#fanout;
  }

  /** Listens to what upstream sessions announce (secrets cut out); returns the function that stops listening. */
  listen(listener: UpstreamNotificationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A notification of an upstream session (`entry`), or of every upstream (null: definitions were invalidated). */
  announce(entry: Entry | null, notification: UpstreamNotification): void {
    // Invalidation (entry null) is every node's own doing, from the change feed: nothing to tell.
    if (this.#listeners.size === 0 && (entry === null || this.#fanout === undefined)) return;
    // An upstream session's news costs every node: bounded per session, changes coalesced (see NoticeBudget).
    if (entry) this.#budget.admit(entry.key, notification, (n) => this.#deliver(entry, n));
    else this.#deliver(null, notification);
  }

  /** Stops hearing the other nodes and drops what the budget holds. */
  close(): void {
    this.#unfan();
    this.#budget.close();
  }

  /** Hands a notification to this node's listeners and, for an upstream session's, to the other nodes. */
  #deliver(entry: Entry | null, notification: UpstreamNotification): void {
    const heard = entry ? scrubSecrets(notification, [...secretsOf(entry.target), ...entry.sent]) : notification;
    for (const listener of this.#listeners) listener(entry?.target ?? null, heard);
    if (entry && this.#fanout) {
      const scope = entry.target.sessionScope;
      this.#fanout.publish({
        upstreamId: entry.target.id,
        ...(scope !== undefined ? { sessionScope: scope } : {}),
        notification: heard,
      } satisfies FannedNotification);
    }
  }

  /** What another node's upstream session announced: this node's listeners hear it as their own; a tools list change also ages this node's definitions. */
  #heardElsewhere(message: unknown): void {
    const fanned = fannedFrom(message);
    if (!fanned) return;
    if (fanned.notification.method === 'notifications/tools/list_changed') this.#toolsChangedElsewhere(fanned.upstreamId);
    const source: UpstreamSource = { id: fanned.upstreamId, ...(fanned.sessionScope !== undefined ? { sessionScope: fanned.sessionScope } : {}) };
    for (const listener of this.#listeners) listener(source, fanned.notification);
  }
}
