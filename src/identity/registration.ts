import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { JWT_BEARER_GRANT } from './grant-types.js';
import { WindowRateLimiter } from './rate-limit.js';
import { isAllowedRedirectUri, isNativeRedirectSet } from './redirect-uris.js';

const GRANT_TYPES = ['authorization_code', 'refresh_token'];
const WRITE_ROUTES = new Set(['registration', 'client_update']);
export const DEFAULT_DCR_RATE_LIMIT = 20;

type Features = NonNullable<Configuration['features']>;

/** oidc-provider features for open dynamic client registration (RFC 7591) with RFC 7592 read/update/delete. */
export function registrationFeatures(): Pick<Features, 'registration' | 'registrationManagement'> {
  return {
    registration: {
      enabled: true,
      initialAccessToken: false,
      issueRegistrationAccessToken: true,
      // Prefixed so a registered client is told apart from a service account or first-party app at a glance.
      idFactory: () => `dcr_${randomBytes(16).toString('base64url')}`,
    },
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: false },
  };
}

/**
 * Client-metadata rules for registration and update requests, hooked in through oidc-provider's
 * synchronous `extraClientMetadata.validator` (it sees the whole metadata object). Static, service
 * account and metadata-document clients are not registrations and are left alone here. With
 * `jwtBearer` (the server takes ID-JAGs), a registered client may also ask for the JWT bearer grant:
 * an MCP client of MCP Enterprise-Managed Authorization, which needs no redirect URI when it uses
 * nothing else, and must authenticate (a stolen assertion is useless without its client's secret).
 */
export function registrationMetadataRules(opts: { jwtBearer?: boolean } = {}): NonNullable<Configuration['extraClientMetadata']> {
  const allowed = new Set([...GRANT_TYPES, ...(opts.jwtBearer ? [JWT_BEARER_GRANT] : [])]);
  const named = [...allowed].join(', ');
  return {
    properties: ['redirect_uris'],
    validator(ctx, key, _value, metadata) {
      const route = (ctx as KoaContextWithOIDC | undefined)?.oidc?.route;
      if (key !== 'redirect_uris' || !route || !WRITE_ROUTES.has(route)) return;
      const grants = metadata.grant_types ?? ['authorization_code'];
      if (!Array.isArray(grants) || !grants.every((g) => typeof g === 'string' && allowed.has(g))) {
        throw new errors.InvalidClientMetadata(`grant_types may only contain ${named}`);
      }
      if (grants.includes(JWT_BEARER_GRANT) && (metadata.token_endpoint_auth_method ?? 'client_secret_basic') === 'none') {
        throw new errors.InvalidClientMetadata(
          'a client that redeems identity assertions (jwt-bearer) must authenticate: client_secret_basic or client_secret_post',
        );
      }
      if (grants.includes(JWT_BEARER_GRANT) && !grants.includes('authorization_code')) {
        // Assertions only: no browser ever comes back to this client.
        if (metadata.redirect_uris !== undefined && (!Array.isArray(metadata.redirect_uris) || metadata.redirect_uris.length > 0)) {
          throw new errors.InvalidClientMetadata('redirect_uris must be empty for a client without the authorization_code grant');
        }
        metadata.redirect_uris = [];
        // oidc-provider has filled in its default (`code`) by now; such a client takes no response type.
        metadata.response_types = [];
        return;
      }
      const redirects = metadata.redirect_uris;
      if (!Array.isArray(redirects) || redirects.length === 0) throw new errors.InvalidClientMetadata('redirect_uris must contain members');
      if (!redirects.every(isAllowedRedirectUri)) {
        throw new errors.InvalidClientMetadata(
          'redirect_uris must be https URLs, http URLs on a loopback host (127.0.0.1, localhost, [::1]) or a native app scheme (cursor://…)',
        );
      }
      // Set here, before oidc-provider checks the URIs: a native app's scheme and changing loopback port need `native`.
      if (isNativeRedirectSet(redirects)) metadata.application_type = 'native';
      // An authorization-code client may refresh, whether or not it knew to ask: assistants should not sign their user in every quarter hour.
      if (grants.includes('authorization_code') && !grants.includes('refresh_token')) metadata.grant_types = [...grants, 'refresh_token'];
      const responses = metadata.response_types ?? ['code'];
      if (!Array.isArray(responses) || !responses.every((r) => r === 'code')) {
        throw new errors.InvalidClientMetadata('response_types may only contain code');
      }
    },
  };
}

/** Per-IP limit on registration requests; answers 429 itself and returns false when the caller is over it. */
export function registrationLimiter(perMinute: number): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limiter = new WindowRateLimiter(perMinute);
  return (req, res) => {
    // Behind a reverse proxy every caller shares the proxy's address, so the limit becomes global there.
    if (limiter.take(req.socket.remoteAddress ?? '')) return true;
    res.statusCode = 429;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Retry-After', '60');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify({ error: 'too_many_requests', error_description: 'Too many client registrations from this address; try again later.' }));
    return false;
  };
}
