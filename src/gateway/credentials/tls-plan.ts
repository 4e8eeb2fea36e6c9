import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { ApiProxy } from '../../core/index.js';
import type { BackendAuth } from './types.js';

/** How connections to a proxy's https upstreams are made: what undici's connector takes, and a key naming it for pool sharing. */
export interface TlsPlan {
  readonly key: string;
  readonly connect: {
    readonly rejectUnauthorized: boolean;
    readonly ca?: string[];
    readonly cert?: string;
    readonly key?: string;
    readonly passphrase?: string;
    readonly servername?: string;
  };
}

/**
 * The TLS settings of a proxy's upstream connections, or null for the defaults (system CAs, verified,
 * no client certificate). Extra CAs are added to the system's, never instead of them.
 */
export function tlsPlan(tls: ApiProxy['tls'], auth: BackendAuth | null): TlsPlan | null {
  const client = auth?.kind === 'mtls' ? auth.tls : null;
  const extra = [tls.caBundle, client?.ca].filter((c): c is string => typeof c === 'string');
  if (tls.verify && extra.length === 0 && client === null) return null;
  const connect: { -readonly [K in keyof TlsPlan['connect']]: TlsPlan['connect'][K] } = { rejectUnauthorized: tls.verify };
  if (extra.length > 0) connect.ca = [...rootCertificates, ...extra];
  if (client !== null) {
    connect.cert = client.cert;
    connect.key = client.key;
    if (client.passphrase !== undefined) connect.passphrase = client.passphrase;
    if (client.servername !== undefined) connect.servername = client.servername;
  }
  // The key names the settings (a rotated certificate gets a pool of its own) without holding the key material.
  const key = createHash('sha256')
    .update(JSON.stringify([tls.verify, extra, auth?.kind === 'mtls' ? `${auth.id}@${auth.version}` : null, client?.servername ?? null]))
    .digest('base64url')
    .slice(0, 22);
  return { key, connect };
}
