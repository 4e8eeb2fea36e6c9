import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, RESERVED_EXACT_PATHS, type RequestChannel, requestIdFrom, sendError } from '../core/index.js';
import { sendContinue } from '../gateway/net/index.js';
import type { NodeHandler } from './admin-app.js';

/** What a listener serves; the single-port default serves everything. */
export interface Surfaces {
  admin: boolean;
  proxy: boolean;
}

/** Handlers, filled in once the gateway has started; until `ready`, requests get 503. */
export interface Mounts {
  ready: boolean;
  oauth?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  admin?: NodeHandler;
  proxy?: NodeHandler;
  /** The Gateway MCP (`/mcp`, consumer surface: served with the proxy). */
  gatewayMcp?: NodeHandler;
  /** `/mcp/v/{slug}`: virtual MCP servers in front of upstream MCP servers. */
  virtualMcp?: NodeHandler;
  /** The connect link of per-user upstream MCP servers and the gateway's client metadata document. */
  mcpConnect?: NodeHandler;
  /** The Management MCP (`/management/mcp`, admin surface). */
  managementMcp?: NodeHandler;
  health(req: IncomingMessage, res: ServerResponse, path: string): void;
  /**
   * Set in a `serve --workers` worker while it starts: settles once it is ready or gives up waiting.
   * node:cluster hands a starting worker its share of connections, and a ready sibling cannot take them
   * back, so calls wait for this worker's start instead of a 503 (a single node refuses at once, for its load balancer).
   */
  starting?: Promise<void>;
  /** Told of each consumer call refused with 503 because the node is not ready, for the request log. */
  refused?(req: IncomingMessage, res: ServerResponse, channel: RequestChannel, path: string, requestId: string, startedAt: number): void;
}

const ROOT_METADATA = '/.well-known/oauth-protected-resource';
const ROOT_METADATA_SLASH = `${ROOT_METADATA}/`;
const GATEWAY_MCP_METADATA = '/.well-known/oauth-protected-resource/mcp';
const VIRTUAL_MCP_METADATA = '/.well-known/oauth-protected-resource/mcp/v/';
const ADMIN_PREFIXES = ['/admin/', '/console', '/management/', '/.well-known/', '/metrics'];
const OAUTH_PREFIXES = ['/oauth/', '/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'];
/** Where clients guess the authorization server's endpoints (reserved, so no proxy has them). */
const OAUTH_GUESSES: ReadonlySet<string> = new Set(RESERVED_EXACT_PATHS);

function startsWithAny(path: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (path.startsWith(p)) return true;
  return false;
}

/**
 * Routes each request by path prefix: health, OAuth, admin (Fastify), or the proxy pipeline (raw,
 * no Fastify). The proxy pipeline and the MCP endpoints hold back 100 Continue until their checks
 * pass; every other surface reads its (size-limited) body at once.
 */
export function createDispatcher(surfaces: Surfaces, mounts: Mounts): NodeHandler {
  /** OAuth first; what the authorization server does not serve falls through to the admin app. */
  const oauthThenAdmin: NodeHandler = (req, res) => {
    mounts.oauth!(req, res).then(
      (handled) => {
        if (!handled) mounts.admin?.(req, res);
      },
      () => sendError(res, new GatehouseError('GATEHOUSE_INTERNAL'), requestIdFrom(req.headers['x-request-id'])),
    );
  };

  /** The handler for a path on a ready gateway, or null when nothing here serves it. */
  function handlerFor(path: string): NodeHandler | null {
    // The Gateway MCP's own protected-resource document lives with it, on the proxy listener.
    if (surfaces.proxy && mounts.gatewayMcp && path === GATEWAY_MCP_METADATA) return mounts.gatewayMcp;
    if (surfaces.proxy && mounts.virtualMcp && path.startsWith(VIRTUAL_MCP_METADATA)) return mounts.virtualMcp;
    if (surfaces.admin) {
      if (mounts.oauth && (path === '/oauth' || startsWithAny(path, OAUTH_PREFIXES) || OAUTH_GUESSES.has(path))) return oauthThenAdmin;
      if (mounts.managementMcp && (path === '/management/mcp' || path === '/management/mcp/')) return mounts.managementMcp;
      if (mounts.admin && (path === '/admin' || startsWithAny(path, ADMIN_PREFIXES))) return mounts.admin;
    }
    if (surfaces.proxy && mounts.virtualMcp && path.startsWith('/mcp/v/')) return mounts.virtualMcp;
    if (surfaces.proxy && mounts.mcpConnect && (path === '/mcp/connect' || path.startsWith('/mcp/connect/') || path === '/mcp/oauth-client.json'))
      return mounts.mcpConnect;
    if (surfaces.proxy && mounts.gatewayMcp && (path === '/mcp' || path.startsWith('/mcp/'))) return mounts.gatewayMcp;
    if (surfaces.proxy && mounts.proxy) return mounts.proxy;
    if (surfaces.admin && mounts.admin) return mounts.admin;
    return null;
  }

  /**
   * No resource lives at the host's root, so there is no root document (RFC 9728 §3.3: a client
   * must discard one whose `resource` is not the bare origin). A document naming one surface there
   * would send an MCP client of another surface to sign in for the wrong audience; the 404 names
   * each surface's own document instead (every 401 names it too, in `resource_metadata`).
   */
  const rootMetadataMissing = (req: IncomingMessage, res: ServerResponse) => {
    const docs = [
      ...(surfaces.proxy && mounts.gatewayMcp ? [GATEWAY_MCP_METADATA] : []),
      ...(surfaces.admin ? [`${ROOT_METADATA}/admin/api/v1`] : []),
      ...(surfaces.admin && mounts.managementMcp ? [`${ROOT_METADATA}/management/mcp`] : []),
    ];
    const message = `No protected resource lives at this host's root; each has its own metadata document${docs.length ? `: ${docs.join(', ')}` : ''}.`;
    sendError(res, new GatehouseError('GATEHOUSE_ROUTE_NOT_FOUND', message), requestIdFrom(req.headers['x-request-id']));
  };

  /** The request log's channel for a consumer call; null for the admin and OAuth surfaces, which it does not record. */
  function consumerChannel(path: string): RequestChannel | null {
    if (surfaces.proxy && path.startsWith('/mcp/v/')) return 'federation';
    if (surfaces.proxy && (path === '/mcp' || path.startsWith('/mcp/'))) return 'mcp';
    if (
      surfaces.admin &&
      (path === '/admin' || path === '/oauth' || startsWithAny(path, ADMIN_PREFIXES) || startsWithAny(path, OAUTH_PREFIXES) || OAUTH_GUESSES.has(path))
    )
      return null;
    return surfaces.proxy ? 'rest' : null;
  }

  const refuseNotReady = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const startedAt = Date.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    sendError(res, new GatehouseError('GATEHOUSE_NOT_READY'), requestId, { 'retry-after': '1' });
    const channel = mounts.refused ? consumerChannel(path) : null;
    if (channel) mounts.refused?.(req, res, channel, path, requestId, startedAt);
  };

  const dispatch: NodeHandler = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (req.headers.host === undefined && req.httpVersion === '1.1') {
      return sendError(
        res,
        new GatehouseError('GATEHOUSE_BAD_REQUEST', 'An HTTP/1.1 request must carry a Host header.'),
        requestIdFrom(req.headers['x-request-id']),
        { connection: 'close' },
      );
    }
    if (path === '/healthz' || path === '/readyz') return mounts.health(req, res, path);
    if (!mounts.ready) {
      if (mounts.starting) return mounts.starting.then(() => dispatch(req, res));
      return refuseNotReady(req, res, path);
    }
    if (path === ROOT_METADATA || path === ROOT_METADATA_SLASH) return rootMetadataMissing(req, res);
    const handler = handlerFor(path);
    if (handler === null) return sendError(res, new GatehouseError('GATEHOUSE_ROUTE_NOT_FOUND'), requestIdFrom(req.headers['x-request-id']));
    // The proxy and the MCP endpoints hold it back until their checks pass (a refused or oversized body is never sent).
    if (handler !== mounts.proxy && handler !== mounts.gatewayMcp && handler !== mounts.managementMcp && handler !== mounts.virtualMcp) sendContinue(req, res);
    handler(req, res);
  };
  return dispatch;
}
