import type { FetchLike } from '@modelcontextprotocol/client';
import { loadClientSdk } from './client-sdk.js';
import type { Discovered, PerUserServer, UpstreamOAuth, UpstreamTokens } from './upstream-oauth.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ID_JAG_PROFILE = 'urn:ietf:params:oauth:grant-profile:id-jag';
const MAX_ANSWER_BYTES = 64 * 1024;

/** The gateway's client at an enterprise IdP, and a person's assertion from it to chain from. */
export interface ChainIdentity {
  /** The ID-JAG the person signed in to the gateway with (its `aud` is the gateway's authorization server). */
  assertion: string;
  idp: { name: string; tokenUrl: string; clientId: string; clientSecret: string; clientAuth: 'client_secret_basic' | 'client_secret_post' };
}

export interface IdJagChainOptions {
  oauth: UpstreamOAuth;
  /** The SSRF-guarded fetch every request goes through. */
  fetch: FetchLike;
  /** The person's latest assertion from a trusted IdP the gateway is a client of; null when there is none (fresh). */
  identity(subject: string): Promise<ChainIdentity | null>;
  now?: () => number;
}

/** The IdP or the upstream refused to chain: the person connects by hand (the reason is shown with the link). */
export class ChainRefused extends Error {}

/** Whether an upstream's authorization server takes ID-JAGs (MCP Enterprise-Managed Authorization), as its metadata says. */
export function takesIdJag(discovered: Discovered): boolean {
  const meta = discovered.metadata as { grant_types_supported?: unknown; authorization_grant_profiles_supported?: unknown };
  const grants = Array.isArray(meta.grant_types_supported) ? meta.grant_types_supported : [];
  const profiles = Array.isArray(meta.authorization_grant_profiles_supported) ? meta.authorization_grant_profiles_supported : [];
  return grants.includes(JWT_BEARER) && profiles.includes(ID_JAG_PROFILE);
}

/**
 * Outbound MCP Enterprise-Managed Authorization: a person's upstream token obtained with no
 * consent step. The assertion they signed in to the gateway with is exchanged at its IdP (RFC 8693,
 * the gateway authenticated as its own client there) for an ID-JAG naming the upstream's
 * authorization server and resource — the IdP's policy decides — and that is redeemed there with
 * the JWT bearer grant (RFC 7523) as the gateway's client at the upstream. Null where it cannot
 * apply (no fresh assertion, or an upstream that does not take ID-JAGs): per-user OAuth then.
 */
export class IdJagChain {
  readonly #now: () => number;

  constructor(private readonly opts: IdJagChainOptions) {
    this.#now = opts.now ?? Date.now;
  }

  /** The person's tokens for the upstream, or null when the chain does not apply; ChainRefused when the IdP or upstream says no. */
  async obtain(server: PerUserServer, subject: string): Promise<UpstreamTokens | null> {
    const identity = await this.opts.identity(subject);
    if (!identity) return null;
    const discovered = await this.opts.oauth.discover(server);
    if (!takesIdJag(discovered)) return null;
    const grant = await this.#exchange(identity, discovered);
    const client = await this.opts.oauth.client(server, discovered);
    const { exchangeJwtAuthGrant } = await loadClientSdk();
    const tokenEndpoint = discovered.metadata.token_endpoint;
    const methods = (discovered.metadata.token_endpoint_auth_methods_supported ?? []) as string[];
    try {
      const tokens = await exchangeJwtAuthGrant({
        tokenEndpoint,
        jwtAuthGrant: grant,
        clientId: client.client_id,
        ...(client.client_secret ? { clientSecret: client.client_secret } : {}),
        authMethod: client.client_secret
          ? methods.includes('client_secret_basic') || methods.length === 0
            ? 'client_secret_basic'
            : 'client_secret_post'
          : 'none',
        fetchFn: this.opts.fetch,
      });
      if (tokens.token_type.toLowerCase() !== 'bearer') throw new Error(`a ${tokens.token_type} token, not a Bearer token`);
      const now = this.#now();
      // The SDK parses the whole token response but types only what the draft promises; a refresh token, if any, is kept.
      const refreshToken = (tokens as { refresh_token?: unknown }).refresh_token;
      return {
        accessToken: tokens.access_token,
        ...(typeof refreshToken === 'string' && refreshToken ? { refreshToken } : {}),
        expiresAt: tokens.expires_in !== undefined ? now + tokens.expires_in * 1_000 : null,
        issuedAt: now,
        scope: tokens.scope ?? discovered.scope ?? '',
      };
    } catch (err) {
      throw new ChainRefused(`${server.name}'s authorization server did not take the assertion from ${identity.idp.name} (${short(err)}).`);
    }
  }

  /** RFC 8693 at the IdP: the person's assertion for one naming the upstream's authorization server and resource. */
  async #exchange(identity: ChainIdentity, discovered: Discovered): Promise<string> {
    const { idp } = identity;
    const body = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE,
      requested_token_type: ID_JAG,
      subject_token: identity.assertion,
      subject_token_type: ID_JAG,
      audience: discovered.issuer,
      resource: discovered.resource,
      ...(discovered.scope ? { scope: discovered.scope } : {}),
    });
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
    if (idp.clientAuth === 'client_secret_basic') {
      const enc = encodeURIComponent;
      headers.set('authorization', `Basic ${Buffer.from(`${enc(idp.clientId)}:${enc(idp.clientSecret)}`).toString('base64')}`);
    } else {
      body.set('client_id', idp.clientId);
      body.set('client_secret', idp.clientSecret);
    }
    let answer: Record<string, unknown>;
    let status: number;
    try {
      const res = await this.opts.fetch(idp.tokenUrl, { method: 'POST', headers, body });
      status = res.status;
      const text = await res.text();
      answer = text.length <= MAX_ANSWER_BYTES ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch (err) {
      throw new ChainRefused(`${idp.name} could not be asked for an assertion (${short(err)}).`);
    }
    if (status < 200 || status >= 300) {
      const code = typeof answer.error === 'string' && /^[a-z_]{1,64}$/.test(answer.error) ? answer.error : `HTTP ${status}`;
      throw new ChainRefused(`${idp.name} did not grant an assertion for this server (${code}).`);
    }
    if (answer.issued_token_type !== ID_JAG || typeof answer.access_token !== 'string' || answer.access_token.length === 0) {
      throw new ChainRefused(`${idp.name} answered the token exchange with no ID-JAG.`);
    }
    return answer.access_token;
  }
}

function short(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 200) : 'request failed';
}
