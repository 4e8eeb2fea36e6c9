import { type DynamicHeaders, GatehouseError } from '../../core/index.js';
import { ChainRefused } from './upstream-id-jag.js';
import type { PerUserServer, RegistrationStore, UpstreamOAuth, UpstreamTokens } from './upstream-oauth.js';

/** Where people's upstream tokens live (sealed at rest); `version` changes with every write. */
export interface ConnectionStore {
  read(serverId: string, subject: string): Promise<{ tokens: UpstreamTokens; version: string } | null>;
  /** Replaces the tokens if they are still at `version` (another node may have refreshed them first); true when written. */
  replace(serverId: string, subject: string, version: string, tokens: UpstreamTokens): Promise<boolean>;
}

export interface UserTokensOptions {
  oauth: UpstreamOAuth;
  store: ConnectionStore;
  /** The gateway's connect link for a person and a server (signed, short-lived). */
  connectLink(serverId: string, subject: string): string;
  /**
   * Tokens obtained with no consent step (an ID-JAG chained from the person's enterprise sign-in):
   * tried where the person has no connection, or one the upstream no longer refreshes; `save` keeps
   * what it got as their connection (sealed, audited). Null from `obtain`: the connect link as ever.
   */
  chain?: {
    obtain(server: PerUserServer, subject: string): Promise<UpstreamTokens | null>;
    save(server: PerUserServer, subject: string, tokens: UpstreamTokens): Promise<void>;
  };
  /** Refresh this long before the access token expires (at most halfway through its life). */
  refreshAheadMs?: number;
  /**
   * Keep a person's tokens read from the store this long (0, the default: read on every use), until
   * `forget()` (the node calls it on every config change), and past it while the store cannot be read.
   */
  cacheMs?: number;
  now?: () => number;
}

type Row = { tokens: UpstreamTokens; version: string };

// Past this many people × servers the kept rows are dropped at once (each is re-read on its next use).
const MAX_KEPT = 10_000;

/** The error a person gets for a server they have not connected (or whose connection ended), with the link that connects it. */
export function connectRequired(server: Pick<PerUserServer, 'id' | 'name'>, link: string, why?: string): GatehouseError {
  return new GatehouseError(
    'GATEHOUSE_MCP_CONNECT_REQUIRED',
    `${why ?? `This tool acts as you at ${server.name}, and you have not connected your account there yet.`} Open ${link} in your browser, sign in and allow access, then call the tool again.`,
    { connectUrl: link, server: server.name },
  );
}

/**
 * Each person's access token for each `oauth_per_user` upstream: read from the store (on every use, or
 * kept per node until the next config change, so a revocation holds at once and calls of people already
 * connected go on while the store is down), refreshed before it expires or after the upstream refused
 * it, one refresh at a time per person and server.
 */
export class UserTokens {
  readonly #inflight = new Map<string, Promise<string>>();
  /** The access token the upstream last refused, per person and server: the next use refreshes it. */
  readonly #refused = new Map<string, string>();
  readonly #kept = new Map<string, { row: Row | null; at: number; generation: number }>();
  /** Bumped by `forget()`: rows kept from an earlier generation are read again (and stand only while the store is down). */
  #generation = 0;
  readonly #ahead: number;
  readonly #keepMs: number;
  readonly #now: () => number;

  constructor(private readonly opts: UserTokensOptions) {
    this.#ahead = opts.refreshAheadMs ?? 60_000;
    this.#keepMs = opts.cacheMs ?? 0;
    this.#now = opts.now ?? Date.now;
  }

  /** The same tokens and registrations read and written through other stores (a transaction that must not wait for itself), never kept. */
  withStores(store: ConnectionStore, registrations: RegistrationStore): UserTokens {
    return new UserTokens({ ...this.opts, store, oauth: this.opts.oauth.withRegistrations(registrations), cacheMs: 0 });
  }

  /** The kept tokens go stale: the next use of each reads the store (a connection made, revoked or refreshed elsewhere). */
  forget(): void {
    this.#generation++;
  }

  /** Revokes tokens of a connection that has ended at the upstream's authorization server (RFC 7009), where it offers that. */
  revokeAtUpstream(server: PerUserServer, tokens: UpstreamTokens): Promise<void> {
    return this.opts.oauth.revoke(server, tokens);
  }

  /** The per-request headers of one person's calls to one server. */
  headers(server: PerUserServer, subject: string): () => Promise<DynamicHeaders> {
    const key = `${server.id}\n${subject}`;
    return async () => {
      const token = await this.token(server, subject);
      return { headers: { authorization: `Bearer ${token}` }, refused: () => void this.#refused.set(key, token) };
    };
  }

  /** A usable access token of this person for this server; GATEHOUSE_MCP_CONNECT_REQUIRED (with the link) when there is none. */
  async token(server: PerUserServer, subject: string): Promise<string> {
    const key = `${server.id}\n${subject}`;
    let row = await this.#read(server.id, subject, key, false);
    // A kept token due for refresh: another node may have refreshed it already, so ask the store first.
    if (row && !this.#usable(key, row) && this.#keepMs > 0) row = await this.#read(server.id, subject, key, true);
    if (row && this.#usable(key, row)) return row.tokens.accessToken;
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = (row ? this.#refresh(server, subject, row) : this.#chained(server, subject)).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  /** New tokens with no consent step where the chain applies; else the connect link (with `why`, or the chain's refusal). */
  async #chained(server: PerUserServer, subject: string, why?: string): Promise<string> {
    const key = `${server.id}\n${subject}`;
    const chain = this.opts.chain;
    let tokens: UpstreamTokens | null = null;
    try {
      tokens = chain ? await chain.obtain(server, subject) : null;
    } catch (err) {
      if (err instanceof ChainRefused) throw connectRequired(server, this.opts.connectLink(server.id, subject), err.message);
      throw err;
    }
    if (!chain || !tokens) throw connectRequired(server, this.opts.connectLink(server.id, subject), why);
    await chain.save(server, subject, tokens);
    this.#refused.delete(key);
    this.#kept.delete(key);
    return tokens.accessToken;
  }

  /** Whether a token can be sent as it is: not refused by the upstream, and not due for refresh (a minute ahead, or halfway through a token that lives less than two). */
  #usable(key: string, row: Row): boolean {
    if (this.#refused.get(key) === row.tokens.accessToken) return false;
    const { expiresAt, issuedAt } = row.tokens;
    return expiresAt === null || expiresAt - this.#now() > Math.min(this.#ahead, (expiresAt - issuedAt) / 2);
  }

  /** The stored row, kept per node when keeping is on; while the store cannot be read, the kept row stands whatever its age. */
  async #read(serverId: string, subject: string, key: string, fromStore: boolean): Promise<Row | null> {
    if (this.#keepMs <= 0) return this.opts.store.read(serverId, subject);
    const kept = this.#kept.get(key);
    if (kept && !fromStore && kept.generation === this.#generation && this.#now() - kept.at < this.#keepMs) return kept.row;
    let row: Row | null;
    try {
      row = await this.opts.store.read(serverId, subject);
    } catch (err) {
      if (kept) return kept.row;
      throw err;
    }
    if (this.#kept.size >= MAX_KEPT) this.#kept.clear();
    this.#kept.set(key, { row, at: this.#now(), generation: this.#generation });
    return row;
  }

  async #refresh(server: PerUserServer, subject: string, row: Row): Promise<string> {
    const key = `${server.id}\n${subject}`;
    let next: UpstreamTokens;
    try {
      next = await this.opts.oauth.refresh(server, row.tokens);
    } catch (err) {
      if (err instanceof GatehouseError && err.code === 'GATEHOUSE_MCP_CONNECT_REQUIRED') return this.#chained(server, subject, err.message);
      throw err;
    }
    this.#refused.delete(key);
    const replaced = await this.opts.store.replace(server.id, subject, row.version, next);
    // The stored row has changed either way: the next use reads it.
    this.#kept.delete(key);
    if (replaced) return next.accessToken;
    // Another node refreshed (or the person reconnected or was disconnected) meanwhile: theirs stands.
    const now = await this.opts.store.read(server.id, subject);
    if (!now) throw connectRequired(server, this.opts.connectLink(server.id, subject));
    return now.tokens.accessToken;
  }
}
