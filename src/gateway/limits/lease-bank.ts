import type { LimitRule } from './limiter.js';
import { windowEnd, windowStart } from './windows.js';

/** What a lease request or a revocation hands back: units granted but never used, under the windows they were granted in. */
export interface LeaseReturn {
  ends: number[];
  unused: number;
}

/** A worker's request for units of one key: `want` at most, handing back what it holds under windows that ended (`back`). */
export interface LeaseRequest {
  key: string;
  rules: LimitRule[];
  now: number;
  want: number;
  back?: LeaseReturn;
}

/** The bank's answer to a lease request. */
export interface LeaseGrant {
  /** Calls the worker may admit on its own (0: refused). */
  granted: number;
  /** Per rule, in the request's order: the end of the current window and the count after this grant. */
  ends: number[];
  counts: number[];
}

interface Account {
  /**
   * Per window kind (one rule per kind per key): the counts of its latest windows, newest first. A lease
   * request sent just before a window ended may arrive after the next one began: it is counted in its own
   * window, never in place of the newer one (which would start that one again from 0 and over-admit).
   */
  windows: Map<string, Array<{ end: number; count: number }>>;
  /** Workers that may hold unused units of this key (granted since the last revocation). */
  holders: Set<number>;
}

/** Windows kept per kind: the current one and the one before (for lease requests that crossed the boundary). */
const KEPT_WINDOWS = 2;

function setCount(account: Account, window: string, end: number, count: number): void {
  const kept = account.windows.get(window) ?? [];
  const w = kept.find((k) => k.end === end);
  if (w) {
    w.count = count;
    return;
  }
  kept.push({ end, count });
  kept.sort((a, b) => b.end - a.end);
  account.windows.set(window, kept.slice(0, KEPT_WINDOWS));
}

/**
 * The cluster's limit counters, owned by the primary (`serve --workers`). A worker leases a few
 * units of a key at a time and admits that many calls without asking again; every leased unit is
 * counted at once, so the workers together never admit more than the limit. Leases are small near
 * the limit (a share of what is left), and before a key is refused the primary revokes the unused
 * units other workers hold (see `holdersOf`), so exactly `limit` calls are admitted in a window,
 * not fewer. Counters of windows that have ended are dropped lazily; the number of keys is bounded.
 */
export class LeaseBank {
  readonly #accounts = new Map<string, Account>();
  /** Revocations under way, per key: requests refused meanwhile wait for them and try again. */
  readonly #revoking = new Map<string, Promise<void>>();
  readonly #maxKeys: number;

  constructor(maxKeys = 1_000_000) {
    this.#maxKeys = maxKeys;
  }

  /** Grants up to `want` units of `key` to `worker`, never more than a `1 / (2 × workers)` share of what is left. */
  grant(worker: number, key: string, rules: readonly LimitRule[], now: number, want: number, workers: number): LeaseGrant {
    const account = this.#account(key, now);
    const ends: number[] = [];
    const counts: number[] = [];
    let left = Number.POSITIVE_INFINITY;
    for (const rule of rules) {
      const end = windowEnd(rule.window, windowStart(rule.window, now));
      const kept = account.windows.get(rule.window) ?? [];
      const w = kept.find((k) => k.end === end);
      // A window older than every one kept has ended long ago: nothing more is admitted under it.
      const count = w ? w.count : kept.length >= KEPT_WINDOWS && end < kept[kept.length - 1]!.end ? rule.limit : 0;
      ends.push(end);
      counts.push(count);
      left = Math.min(left, rule.limit - count);
    }
    const granted = left <= 0 ? 0 : Math.max(1, Math.min(want, left, Math.floor(left / (2 * Math.max(1, workers)))));
    if (granted > 0) {
      rules.forEach((rule, i) => {
        counts[i]! += granted;
        setCount(account, rule.window, ends[i]!, counts[i]!);
      });
      account.holders.add(worker);
    }
    return { granted, ends, counts };
  }

  /**
   * Serves one worker's lease request: applies what it hands back, grants, and when nothing is left
   * revokes the unused units other workers hold (`revoke`) and tries once more before refusing.
   */
  async lease(worker: number, req: LeaseRequest, workers: number, revoke: (worker: number, key: string) => Promise<LeaseReturn>): Promise<LeaseGrant> {
    if (req.back) this.release(req.key, req.rules, req.back);
    const first = this.grant(worker, req.key, req.rules, req.now, req.want, workers);
    if (first.granted > 0) return first;
    let revoking = this.#revoking.get(req.key);
    if (!revoking) {
      const holders = this.takeHolders(req.key, worker);
      if (holders.length === 0) return first;
      revoking = Promise.all(
        holders.map((w) =>
          revoke(w, req.key).then(
            (back) => this.release(req.key, req.rules, back),
            // A worker that cannot answer keeps its units counted: never more than the limit.
            () => {},
          ),
        ),
      ).then(() => {
        this.#revoking.delete(req.key);
      });
      this.#revoking.set(req.key, revoking);
    }
    await revoking;
    return this.grant(worker, req.key, req.rules, req.now, req.want, workers);
  }

  /** Takes back units a worker will not use; only windows that have not ended since are credited. */
  release(key: string, rules: readonly LimitRule[], back: LeaseReturn): void {
    if (back.unused <= 0) return;
    const account = this.#accounts.get(key);
    if (!account) return;
    rules.forEach((rule, i) => {
      const w = account.windows.get(rule.window)?.find((k) => k.end === back.ends[i]);
      if (w) w.count = Math.max(0, w.count - back.unused);
    });
  }

  /** The counts of `key` under `rules` now, without granting anything (for reports). */
  peek(key: string, rules: readonly LimitRule[], now: number): LeaseGrant {
    const account = this.#accounts.get(key);
    const ends = rules.map((r) => windowEnd(r.window, windowStart(r.window, now)));
    const counts = rules.map((r, i) => account?.windows.get(r.window)?.find((k) => k.end === ends[i])?.count ?? 0);
    return { granted: 0, ends, counts };
  }

  /** The workers other than `asker` that may hold unused units of `key`; they are forgotten (the caller revokes them). */
  takeHolders(key: string, asker: number): number[] {
    const account = this.#accounts.get(key);
    if (!account) return [];
    const others = [...account.holders].filter((w) => w !== asker);
    account.holders.clear();
    return others;
  }

  /** Forgets a worker that is gone: its unused units stay counted (it may have admitted them before dying). */
  forgetWorker(worker: number): void {
    for (const account of this.#accounts.values()) account.holders.delete(worker);
  }

  #account(key: string, now: number): Account {
    let account = this.#accounts.get(key);
    if (account) return account;
    if (this.#accounts.size >= this.#maxKeys) this.#makeRoom(now);
    account = { windows: new Map(), holders: new Set() };
    this.#accounts.set(key, account);
    return account;
  }

  #makeRoom(now: number): void {
    for (const [key, account] of this.#accounts) {
      let live = false;
      for (const kept of account.windows.values()) if (kept.some((w) => w.end > now)) live = true;
      if (!live) this.#accounts.delete(key);
    }
    let drop = this.#accounts.size - this.#maxKeys + Math.max(1, Math.floor(this.#maxKeys / 10));
    for (const key of this.#accounts.keys()) {
      if (drop-- <= 0) return;
      this.#accounts.delete(key);
    }
  }
}
