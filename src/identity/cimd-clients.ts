import type { ClientMetadata } from 'oidc-provider';
import { type DocumentFetchOptions, DocumentFetchError, fetchJsonDocument } from './cimd-fetch.js';
import { isAllowedRedirectUri, isNativeRedirectSet } from './redirect-uris.js';

const CACHE_TTL_MS = 5 * 60 * 1000;
// Refusals are remembered too, so one bad or slow document cannot make every step of a flow wait again.
const REFUSAL_TTL_MS = 30 * 1000;
const CACHE_MAX = 200;
// Copied from the document; everything else (secrets, keys, auth methods, URIs we would fetch) is ignored.
const DISPLAY_FIELDS = ['client_name', 'client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'software_id', 'software_version'] as const;
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);

/** True when a client_id names a metadata document (an https URL, or loopback http when private hosts are allowed). */
export function isMetadataDocumentUrl(clientId: string, allowPrivateHosts: boolean): boolean {
  if (clientId.startsWith('https://')) return true;
  return allowPrivateHosts && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(clientId);
}

/** Resolves Client ID Metadata Documents into public-client metadata, caching them briefly. */
export class MetadataDocumentClients {
  readonly #opts: DocumentFetchOptions;
  readonly #cache = new Map<string, { expires: number; metadata?: ClientMetadata; refusal?: DocumentFetchError }>();
  readonly #pending = new Map<string, Promise<ClientMetadata>>();

  constructor(opts: DocumentFetchOptions) {
    this.#opts = opts;
  }

  /** The client metadata the document at `url` describes; throws DocumentFetchError when it is refused. */
  async resolve(url: string): Promise<ClientMetadata> {
    const hit = this.#cache.get(url);
    if (hit && hit.expires > Date.now()) {
      if (hit.metadata) return hit.metadata;
      throw hit.refusal ?? new DocumentFetchError('the document was refused');
    }
    this.#cache.delete(url);
    let pending = this.#pending.get(url);
    if (!pending) {
      pending = this.#load(url).finally(() => this.#pending.delete(url));
      this.#pending.set(url, pending);
    }
    return pending;
  }

  async #load(url: string): Promise<ClientMetadata> {
    try {
      const metadata = clientFromDocument(url, await fetchJsonDocument(url, this.#opts));
      this.#remember(url, { expires: Date.now() + CACHE_TTL_MS, metadata });
      return metadata;
    } catch (err) {
      if (err instanceof DocumentFetchError) this.#remember(url, { expires: Date.now() + REFUSAL_TTL_MS, refusal: err });
      throw err;
    }
  }

  #remember(url: string, entry: { expires: number; metadata?: ClientMetadata; refusal?: DocumentFetchError }): void {
    // Oldest first: a Map iterates in insertion order, so the first key is the one to evict.
    while (this.#cache.size >= CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(url, entry);
  }
}

/** Checks a fetched document and turns it into the metadata of a public client whose id is `url`. */
export function clientFromDocument(url: string, doc: Record<string, unknown>): ClientMetadata {
  if (doc.client_id !== url) throw new DocumentFetchError('the document names a different client_id than its URL');
  const method = doc.token_endpoint_auth_method;
  if (method !== undefined && method !== 'none') throw new DocumentFetchError('the document must describe a public client (token_endpoint_auth_method "none")');
  if ('client_secret' in doc) throw new DocumentFetchError('the document must not contain a client_secret');
  const redirects = doc.redirect_uris;
  if (!Array.isArray(redirects) || redirects.length === 0) throw new DocumentFetchError('the document has no redirect_uris');
  if (!redirects.every(isAllowedRedirectUri)) throw new DocumentFetchError('redirect_uris must be https, loopback http or native app scheme URLs');
  const grants = doc.grant_types === undefined ? ['authorization_code', 'refresh_token'] : doc.grant_types;
  if (!Array.isArray(grants) || !grants.every((g) => typeof g === 'string' && GRANT_TYPES.has(g))) {
    throw new DocumentFetchError('grant_types may only contain authorization_code and refresh_token');
  }
  const metadata: ClientMetadata = {
    client_id: url,
    redirect_uris: redirects as string[],
    // As with registration: an authorization-code client may refresh whether or not it said so.
    grant_types: grants.includes('authorization_code') && !grants.includes('refresh_token') ? [...(grants as string[]), 'refresh_token'] : (grants as string[]),
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    application_type: doc.application_type === 'native' || isNativeRedirectSet(redirects) ? 'native' : 'web',
  };
  for (const field of DISPLAY_FIELDS) {
    const value = doc[field];
    if (typeof value === 'string' && value.length <= 500) metadata[field] = value;
  }
  return metadata;
}
