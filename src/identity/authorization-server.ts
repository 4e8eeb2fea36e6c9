import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import { GatehouseError, loadOnce, requestIdFrom, sendError } from '../core/index.js';
import { jwksEndpoint } from './jwks-endpoint.js';
import type { AuthorizationServerOptions } from './authorization-server-options.js';
import type { ProviderApp, ProviderRoute } from './provider-app.js';
import { loadProviderKeys } from './signing-keys.js';

export type { AuthorizationServerOptions } from './authorization-server-options.js';

export interface AuthorizationServer {
  issuer: string;
  /** Handles a request under the issuer path or at its RFC 8414 / OIDC discovery aliases; resolves false when the path is not its. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The public JWKS, for local token verification without HTTP. */
  jwks(): JSONWebKeySet;
}

/** Endpoint paths clients guess at the root, and the provider's own. */
const ENDPOINT_ALIASES: Readonly<Record<string, string>> = { '/authorize': '/auth', '/token': '/token', '/register': '/reg' };

/**
 * Starts the built-in OAuth 2.1 / OIDC authorization server over our store. Its keys load now, and
 * with them local token verification and the public JWKS endpoint; oidc-provider (a large module
 * graph and app) loads on the first request for any other of its paths, which start-up never makes.
 */
export async function createAuthorizationServer(opts: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const issuerUrl = new URL(opts.issuer);
  const mountPath = issuerUrl.pathname.replace(/\/+$/, '');
  checkResources(opts);
  const keys = await loadProviderKeys(opts.db, opts.secrets);
  const serveJwks = jwksEndpoint(keys.publicJwks);
  // Clients that skip or misread discovery look at the root documents, or guess endpoints next to
  // the MCP server (the 2025-03-26 defaults): all are served, by the one provider under its issuer.
  const discoveryAliases = new Set([
    `/.well-known/oauth-authorization-server${mountPath}`,
    `/.well-known/openid-configuration${mountPath}`,
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
  ]);
  const routeOf = (url: string): ProviderRoute | null => {
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? '' : url.slice(queryAt);
    if (discoveryAliases.has(path)) return { path, inner: '/.well-known/openid-configuration', query };
    const alias = ENDPOINT_ALIASES[path];
    if (alias) return { path, inner: alias, query };
    if (path === mountPath || path.startsWith(`${mountPath}/`)) return { path, inner: path.slice(mountPath.length) || '/', query };
    return null;
  };

  // One load for every concurrent first request; a failed one is forgotten, so the next request tries again.
  const app = loadOnce(() =>
    import('./provider-app.js')
      .then((m) => m.startProviderApp(opts, keys))
      .catch((err: unknown) => {
        opts.onLoadFailure?.(err);
        throw err;
      }),
  );

  return {
    issuer: opts.issuer,
    jwks: () => keys.publicJwks,
    async handle(req, res) {
      const route = routeOf(req.url ?? '/');
      if (!route) return false;
      if (route.inner === '/jwks' && (req.method === 'GET' || req.method === 'HEAD')) {
        serveJwks(req, res);
        return true;
      }
      let serve: ProviderApp;
      try {
        serve = await app();
      } catch {
        const err = new GatehouseError('GATEHOUSE_NOT_READY', 'The authorization server could not be loaded; try again.');
        sendError(res, err, requestIdFrom(req.headers['x-request-id']));
        return true;
      }
      await serve(req, res, route);
      return true;
    },
  };
}

// Checked at start, not at the provider's first load: a misconfigured server must not start.
function checkResources(opts: AuthorizationServerOptions): void {
  const allowed = new Set(opts.resources);
  if (!allowed.has(opts.defaultResource)) throw new Error('the default resource must be one of the allowed resources');
  if (opts.managementResource && !allowed.has(opts.managementResource)) throw new Error('the management resource must be one of the allowed resources');
  if (opts.gatewayMcpResource) {
    if (!allowed.has(opts.gatewayMcpResource)) throw new Error('the gateway MCP resource must be one of the allowed resources');
    if (!opts.recordSignIn) throw new Error('the gateway MCP resource needs recordSignIn (sign-ins are changes made through the executor)');
  }
}
