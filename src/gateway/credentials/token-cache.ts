import type { TokenEndpoint } from './token-endpoint.js';
import type { BackendAuth } from './types.js';

type OAuth2 = Extract<BackendAuth, { kind: 'oauth2' }>;

interface Entry {
  /** The credential version the token was obtained with: a rotation starts afresh. */
  version: number;
  token: string | null;
  /** When to fetch the next one: shortly before the token expires. */
  refreshAt: number;
  pending: Promise<string> | null;
}

// A token without expires_in is kept this long; endpoints that omit it rarely issue short-lived ones.
const DEFAULT_LIFETIME_MS = 300_000;
// Refreshed this much before expiry (a tenth of the lifetime, at most 30 s), so no call carries a token that expires on the way.
const MAX_EARLY_MS = 30_000;

/** Access tokens of oauth2 backend credentials: cached until shortly before expiry, refreshed once for all concurrent callers. */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly endpoint: TokenEndpoint,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached token while it is fresh, else null (the hot path's synchronous check). */
  peek(auth: OAuth2): string | null {
    const e = this.#entries.get(auth.id);
    return e !== undefined && e.version === auth.version && e.token !== null && this.now() < e.refreshAt ? e.token : null;
  }

  /** A fresh token: the cached one, or the one being fetched, or a new fetch (single flight). */
  get(auth: OAuth2): Promise<string> {
    const fresh = this.peek(auth);
    if (fresh !== null) return Promise.resolve(fresh);
    let e = this.#entries.get(auth.id);
    if (e === undefined || e.version !== auth.version) {
      e = { version: auth.version, token: null, refreshAt: 0, pending: null };
      this.#entries.set(auth.id, e);
    }
    if (e.pending !== null) return e.pending;
    const entry = e;
    const started = this.now();
    entry.pending = this.endpoint.fetch(auth.name, auth.token).then(
      (granted) => {
        const lifetime = granted.expiresIn === null ? DEFAULT_LIFETIME_MS : granted.expiresIn * 1_000;
        entry.token = granted.accessToken;
        entry.refreshAt = started + lifetime - Math.min(MAX_EARLY_MS, lifetime / 10);
        entry.pending = null;
        return granted.accessToken;
      },
      (err: unknown) => {
        entry.pending = null;
        throw err;
      },
    );
    return entry.pending;
  }

  /** The upstream refused `token` (401): forget it, unless a newer one has already replaced it. */
  invalidate(auth: OAuth2, token: string): void {
    const e = this.#entries.get(auth.id);
    if (e !== undefined && e.token === token) {
      e.token = null;
      e.refreshAt = 0;
    }
  }
}
