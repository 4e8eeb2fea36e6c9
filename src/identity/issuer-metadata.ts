import { idpHttp } from './idp-http.js';

const TIMEOUT_MS = 5000;
const MAX_BYTES = 1024 * 1024;

export interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
  [key: string]: unknown;
}

/** Fetches an issuer's OIDC discovery document (falling back to RFC 8414) and checks it names the same issuer. */
export async function fetchIssuerMetadata(issuer: string, opts: { allowHttp: boolean }): Promise<IssuerMetadata> {
  const url = checkedUrl(issuer, opts.allowHttp, 'issuer');
  const trimmed = issuer.replace(/\/+$/, '');
  const path = url.pathname.replace(/\/+$/, '');
  const candidates = [`${trimmed}/.well-known/openid-configuration`, `${url.origin}/.well-known/oauth-authorization-server${path}`];
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      const doc = await fetchJson(candidate);
      if (doc.issuer !== issuer) throw new Error(`it names issuer ${JSON.stringify(doc.issuer)}`);
      if (typeof doc.jwks_uri !== 'string') throw new Error('it has no jwks_uri');
      checkedUrl(doc.jwks_uri, opts.allowHttp, 'jwks_uri');
      return doc as IssuerMetadata;
    } catch (err) {
      failures.push(`${candidate}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`could not load the identity provider's metadata (${failures.join('; ')})`);
}

function checkedUrl(value: string, allowHttp: boolean, label: string): URL {
  const url = new URL(value);
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new Error(`the ${label} must be an https URL: ${value}`);
  }
  return url;
}

async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const res = await idpHttp.request(url, { headers: { accept: 'application/json' }, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES });
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
  const parsed: unknown = JSON.parse(res.body.toString('utf8'));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the document is not a JSON object');
  return parsed as Record<string, unknown>;
}
