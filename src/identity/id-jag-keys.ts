import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { idpHttp } from './idp-http.js';
import { fetchIssuerMetadata } from './issuer-metadata.js';

/** How long an IdP's keys are used before they are fetched again. */
const KEYS_TTL_MS = 5 * 60_000;
/** An unknown `kid` fetches the keys again (a rotation), but at most this often per IdP. */
const REFETCH_AFTER_MS = 30_000;
const MAX_BYTES = 256 * 1024;

/** Where an IdP's signing keys are: its JWKS URI, or found through its discovery document. */
export interface KeySource {
  issuer: string;
  jwksUri?: string | undefined;
}

interface Cached {
  source: string;
  keys: JWTVerifyGetKey;
  fetchedAt: number;
}

/**
 * The signing keys of trusted enterprise IdPs, fetched through the outbound module (pinned DNS,
 * bounded time and size, no redirects) and kept for a few minutes per IdP. A `kid` the cached set
 * does not have fetches the set again, once per 30 s, so a rotation at the IdP is picked up while a
 * stream of forged `kid`s cannot make us hammer it.
 */
export class TrustedIssuerKeys {
  readonly #cache = new Map<string, Cached>();
  readonly #allowHttp: boolean;

  constructor(opts: { allowHttp: boolean }) {
    this.#allowHttp = opts.allowHttp;
  }

  /** The key lookup jose verifies an assertion of `source.issuer` with. */
  async keysFor(src: KeySource): Promise<JWTVerifyGetKey> {
    const id = `${src.issuer}\n${src.jwksUri ?? ''}`;
    let cached = this.#cache.get(id);
    if (!cached || Date.now() - cached.fetchedAt > KEYS_TTL_MS) {
      cached = await this.#load(id, src);
    }
    const current = cached;
    return async (header, token) => {
      try {
        return await current.keys(header, token);
      } catch (err) {
        if (Date.now() - current.fetchedAt < REFETCH_AFTER_MS) throw err;
        const fresh = await this.#load(id, src);
        return fresh.keys(header, token);
      }
    };
  }

  async #load(id: string, src: KeySource): Promise<Cached> {
    // The extension requires TLS for key discovery: plain http only for an IdP on this machine (tests, local IdPs).
    const allowHttp = this.#allowHttp && loopback(src.issuer);
    const uri = src.jwksUri ?? (await fetchIssuerMetadata(src.issuer, { allowHttp })).jwks_uri;
    if (!uri.startsWith('https:') && !(allowHttp && loopback(uri))) throw new Error(`the identity provider's keys must be at an https URL: ${uri}`);
    const res = await idpHttp.request(uri, { headers: { accept: 'application/json' }, timeoutMs: 5000, maxBytes: MAX_BYTES });
    if (res.status < 200 || res.status >= 300) throw new Error(`the identity provider's keys answered HTTP ${res.status}`);
    const jwks = JSON.parse(res.body.toString('utf8')) as JSONWebKeySet;
    if (!jwks || !Array.isArray(jwks.keys)) throw new Error('the identity provider’s keys are not a JWK set');
    // Public keys only: a set that carries private parameters is misconfigured, and never used.
    for (const k of jwks.keys) if ('d' in k) throw new Error('the identity provider’s key set holds private keys');
    const cached = { source: uri, keys: createLocalJWKSet(jwks), fetchedAt: Date.now() };
    this.#cache.set(id, cached);
    return cached;
  }
}

function loopback(url: string): boolean {
  if (!URL.canParse(url)) return false;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}
