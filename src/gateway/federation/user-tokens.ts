import { type DynamicHeaders, GatehouseError } from '../../core/index.js';
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
  /** Refresh this long before the access token expires (at most halfway through its life). */
  refreshAheadMs?: number;
  now?: () => number;
}

/** The error a person gets for a server they have not connected (or whose connection ended), with the link that connects it. */
export function connectRequired(server: Pick<PerUserServer, 'id' | 'name'>, link: string, why?: string): GatehouseError {
  return new GatehouseError(
    'GATEHOUSE_MCP_CONNECT_REQUIRED',
    `${why ?? `This tool acts as you at ${server.name}, and you have not connected your account there yet.`} Open ${link} in your browser, sign in and allow access, then call the tool again.`,
    { connectUrl: link, server: server.name },
  );
}

/**
 * Each person's access token for each `oauth_per_user` upstream: read from the store on every use
 * (so a revocation holds at once, on every node), refreshed before it expires or after the upstream
 * refused it, one refresh at a time per person and server.
 */
export class UserTokens {
  readonly #inflight = new Map<string, Promise<string>>();
  /** The access token the upstream last refused, per person and server: the next use refreshes it. */
  readonly #refused = new Map<string, string>();
  readonly #ahead: number;
  readonly #now: () => number;

  constructor(private readonly opts: UserTokensOptions) {
    this.#ahead = opts.refreshAheadMs ?? 60_000;
    this.#now = opts.now ?? Date.now;
  }

  /** The same tokens and registrations read and written through other stores (a transaction that must not wait for itself). */
  withStores(store: ConnectionStore, registrations: RegistrationStore): UserTokens {
    return new UserTokens({ ...this.opts, store, oauth: this.opts.oauth.withRegistrations(registrations) });
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
    const row = await this.opts.store.read(server.id, subject);
    if (!row) throw connectRequired(server, this.opts.connectLink(server.id, subject));
    const refused = this.#refused.get(key) === row.tokens.accessToken;
    const { expiresAt, issuedAt } = row.tokens;
    // Refreshed a minute ahead, or halfway through a token that lives less than two.
    const fresh = expiresAt === null || expiresAt - this.#now() > Math.min(this.#ahead, (expiresAt - issuedAt) / 2);
    if (fresh && !refused) return row.tokens.accessToken;
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#refresh(server, subject, row).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  async #refresh(server: PerUserServer, subject: string, row: { tokens: UpstreamTokens; version: string }): Promise<string> {
    const key = `${server.id}\n${subject}`;
    let next: UpstreamTokens;
    try {
      next = await this.opts.oauth.refresh(server, row.tokens);
    } catch (err) {
      if (err instanceof GatehouseError && err.code === 'GATEHOUSE_MCP_CONNECT_REQUIRED') {
        throw connectRequired(server, this.opts.connectLink(server.id, subject), err.message);
      }
      throw err;
    }
    this.#refused.delete(key);
    if (await this.opts.store.replace(server.id, subject, row.version, next)) return next.accessToken;
    // Another node refreshed (or the person reconnected or was disconnected) meanwhile: theirs stands.
    const now = await this.opts.store.read(server.id, subject);
    if (!now) throw connectRequired(server, this.opts.connectLink(server.id, subject));
    return now.tokens.accessToken;
  }
}
