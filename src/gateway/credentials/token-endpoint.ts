import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { GatehouseError } from '../../core/index.js';
import { guardedLookup, isPrivateAddress } from '../net/outbound-guard.js';
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

/** Token requests go through one small pool per guard mode, with the SSRF-guarded lookup unless private networks are allowed. */
export class TokenEndpoint {
  readonly #agent: Agent;
  readonly #allowPrivate: boolean;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;

  constructor(opts: TokenEndpointOptions = {}) {
    this.#allowPrivate = opts.allowPrivateNetworks ?? false;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#maxBytes = opts.maxBytes ?? 65_536;
    this.#agent = new Agent({ connections: 8, ...(this.#allowPrivate ? {} : { connect: { lookup: guardedLookup as never } }) });
  }

  /** Asks the endpoint for a token; every failure is a GATEHOUSE_BACKEND_TOKEN_FAILED that names the credential but never its secret. */
  async fetch(name: string, t: TokenRequest): Promise<GrantedToken> {
    const url = new URL(t.tokenUrl);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!this.#allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host))))
      throw failed(name, `${url.host} is a loopback, private or link-local address, which this gateway does not call`);
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
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers,
        body: form.toString(),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw failed(name, code === 'GATEHOUSE_PRIVATE_ADDRESS' ? 'resolves to a non-public address' : `could not be reached (${code})`);
    }
    const text = await readBounded(res.body, this.#maxBytes).catch(() => null);
    if (text === null) throw failed(name, `answered more than ${this.#maxBytes} bytes`);
    if (res.statusCode !== 200) {
      // The OAuth error code is safe to show; a description might echo what was sent, so it is left out.
      const error = oauthError(text);
      throw failed(name, `refused the request (${res.statusCode}${error ? ` ${error}` : ''})`);
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
    await this.#agent.close();
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      throw new Error('too large');
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

function oauthError(text: string): string | null {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === 'string' && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(error) ? error : null;
  } catch {
    return null;
  }
}
