import { GatehouseError } from '../../core/index.js';
import { OutboundClient } from '../net/outbound/outbound-client.js';
import { OutboundError } from '../net/outbound/outbound-error.js';
import type { TokenRequest } from './types.js';

/** How the gateway talks to token endpoints. */
export interface TokenEndpointOptions {
  /** Let token URLs reach loopback, private and link-local addresses (an IdP inside the network). Default false. */
  allowPrivateNetworks?: boolean;
  /** Longest a token request may take. Default 10 s. */
  timeoutMs?: number;
  /** Largest token response read. Default 64 KiB. */
  maxBytes?: number;
}

/** A token as the endpoint granted it. */
export interface GrantedToken {
  accessToken: string;
  /** Seconds it lives, when the endpoint said. */
  expiresIn: number | null;
}

function failed(name: string, why: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_BACKEND_TOKEN_FAILED', `Backend credential ${name}: the token endpoint ${why}.`);
}

/** Token requests go through one outbound client, public addresses only unless private networks are allowed. */
export class TokenEndpoint {
  readonly #http: OutboundClient;

  constructor(opts: TokenEndpointOptions = {}) {
    this.#http = new OutboundClient({
      allowPrivateNetworks: opts.allowPrivateNetworks ?? false,
      timeoutMs: opts.timeoutMs ?? 10_000,
      maxBytes: opts.maxBytes ?? 65_536,
    });
  }

  /** Asks the endpoint for a token; every failure is a GATEHOUSE_BACKEND_TOKEN_FAILED that names the credential but never its secret. */
  async fetch(name: string, t: TokenRequest): Promise<GrantedToken> {
    const form = new URLSearchParams(t.params as Array<[string, string]>);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (t.clientAuth === 'client_secret_basic') {
      // RFC 6749 §2.3.1: both parts form-encoded before Basic.
      const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${enc(t.clientId)}:${enc(t.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', t.clientId);
      form.set('client_secret', t.clientSecret);
    }
    let res: Awaited<ReturnType<OutboundClient['request']>>;
    try {
      res = await this.#http.request(t.tokenUrl, { method: 'POST', headers, body: form.toString() });
    } catch (err) {
      throw failed(name, err instanceof OutboundError ? err.message : 'could not be reached');
    }
    const text = res.body.toString('utf8');
    if (res.status !== 200) {
      // The OAuth error code is safe to show; a description might echo what was sent, so it is left out.
      const error = oauthError(text);
      throw failed(name, `refused the request (${res.status}${error ? ` ${error}` : ''})`);
    }
    let body: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw failed(name, 'answered something that is not JSON');
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') throw failed(name, 'answered without an access_token');
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer')
      throw failed(name, `issued a ${body.token_type} token, not a Bearer token`);
    const expiresIn = Number(body.expires_in);
    return { accessToken: body.access_token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : null };
  }

  async close(): Promise<void> {
    await this.#http.close();
  }
}

function oauthError(text: string): string | null {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === 'string' && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(error) ? error : null;
  } catch {
    return null;
  }
}
