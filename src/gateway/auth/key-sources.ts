import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { OutboundClient } from '../net/outbound/outbound-client.js';

const DISCOVERY_TIMEOUT_MS = 5_000;
const DISCOVERY_MAX_BYTES = 1_048_576;

// JWKS and discovery URLs an administrator configured: any address they named, pinned, bounded, no redirects.
const keysHttp = new OutboundClient({ allowPrivateNetworks: true, timeoutMs: DISCOVERY_TIMEOUT_MS, maxBytes: DISCOVERY_MAX_BYTES });

/** Reads a small JSON document with a timeout and a size cap. */
async function fetchJson(url: string): Promise<unknown> {
  const res = await keysHttp.request(url, { headers: { accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return JSON.parse(res.body.toString('utf8'));
}

/**
 * Signing keys for JWT verification, cached across snapshots so a config change does not refetch
 * every JWKS: remote key sets per URL, and OIDC issuers' JWKS URLs from their discovery documents.
 */
export class KeySources {
  private readonly sets = new Map<string, JWTVerifyGetKey>();
  private readonly discovered = new Map<string, Promise<JWTVerifyGetKey>>();

  /** The (cached) remote key set at a JWKS URL. */
  jwks(url: string): JWTVerifyGetKey {
    let set = this.sets.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), { timeoutDuration: DISCOVERY_TIMEOUT_MS, [customFetch]: keysHttp.fetch });
      this.sets.set(url, set);
    }
    return set;
  }

  /** The key set an OIDC issuer publishes, discovered once; a failed discovery is retried on the next call. */
  oidc(issuer: string): Promise<JWTVerifyGetKey> {
    let found = this.discovered.get(issuer);
    if (!found) {
      found = this.discover(issuer);
      this.discovered.set(issuer, found);
      found.catch(() => this.discovered.delete(issuer));
    }
    return found;
  }

  private async discover(issuer: string): Promise<JWTVerifyGetKey> {
    const doc = await fetchJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
    const meta = doc as { issuer?: unknown; jwks_uri?: unknown };
    if (meta.issuer !== issuer) throw new Error(`discovery document names issuer ${String(meta.issuer)}, not ${issuer}`);
    if (typeof meta.jwks_uri !== 'string' || !/^https?:\/\//.test(meta.jwks_uri)) throw new Error('discovery document has no jwks_uri');
    return this.jwks(meta.jwks_uri);
  }
}
