import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { type NodeMcpRequestHandler, toNodeHandler } from '@modelcontextprotocol/node';
import { GatehouseError, type Principal, requestIdFrom, sendError } from '../../core/index.js';
import { bearerToken, type TokenVerifier, wwwAuthenticate } from '../../identity/index.js';
import type { Executor } from '../../management/executor.js';
import { buildToolCatalog } from './tool-catalog.js';
import { buildToolServer } from './tool-server.js';

export interface ManagementMcpOptions {
  executor: Executor;
  verifier: TokenVerifier;
  /** This surface's resource identifier (`…/management/mcp`): tokens must carry it as audience. */
  resource: string;
  /** The OAuth scope a token must carry, when the issuer grants scopes (the built-in one does). */
  requiredScope?: string;
  /** Origins (scheme://host:port) browsers may call from; requests with any other Origin are refused. */
  allowedOrigins: readonly string[];
  maxBodyBytes?: number;
  log: (msg: string, err: unknown) => void;
}

interface AuthedRequest extends IncomingMessage {
  auth?: { token: string; clientId: string; scopes: string[]; extra: { principal: Principal; ip: string | null } };
}


/**
 * `/management/mcp`: the management plane as MCP tools. Authenticates the bearer token for this
 * resource before any MCP processing, then serves both protocol eras statelessly; each request
 * gets a server listing only what the caller's role allows.
 */
export function createManagementMcp(opts: ManagementMcpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const tools = buildToolCatalog(opts.executor.registry);
  let sequence = 0;
  const mcp = createMcpHandler(
    async (ctx) => {
      const extra = ctx.authInfo?.extra as { principal: Principal; ip: string | null };
      return buildToolServer(tools, opts.executor, {
        call: { principal: extra.principal, channel: 'mcp', clientApp: ctx.authInfo?.clientId ?? null, ip: extra.ip },
        requestId: () => `mcp-${Date.now().toString(36)}-${(sequence++).toString(36)}`,
      });
    },
    { responseMode: 'json', maxRequestBodySize: opts.maxBodyBytes ?? 1_048_576, onerror: (err) => opts.log('management MCP error', err) },
  );
  const node: NodeMcpRequestHandler = toNodeHandler(mcp, {
    maxRequestBodySize: opts.maxBodyBytes ?? 1_048_576,
    onerror: (err) => opts.log('management MCP adapter error', err),
  });
  const challenge = (error?: 'invalid_token' | 'insufficient_scope', description?: string) =>
    wwwAuthenticate(opts.resource, {
      ...(opts.requiredScope ? { scope: opts.requiredScope } : {}),
      ...(error ? { error } : {}),
      ...(description ? { description } : {}),
    });

  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const origin = req.headers.origin;
    if (origin !== undefined && !opts.allowedOrigins.includes(origin)) {
      return sendError(res, new GatehouseError('GATEHOUSE_FORBIDDEN', `Origin ${origin.slice(0, 200)} is not allowed.`), requestId);
    }
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      return sendError(res, new GatehouseError('GATEHOUSE_UNAUTHENTICATED', 'A bearer token for the management MCP is required.'), requestId, {
        'www-authenticate': challenge(),
      });
    }
    opts.verifier.verify(token, opts.resource).then(
      (v) => {
        if (opts.requiredScope && !v.scopes.includes(opts.requiredScope)) {
          return sendError(res, new GatehouseError('GATEHOUSE_FORBIDDEN', `The token lacks the ${opts.requiredScope} scope.`), requestId, {
            'www-authenticate': challenge('insufficient_scope', `requires scope ${opts.requiredScope}`),
          });
        }
        const principal: Principal = { subject: v.subject, name: v.name, kind: v.kind, groups: v.groups, ...(v.clientId ? { clientId: v.clientId } : {}) };
        (req as AuthedRequest).auth = {
          token,
          clientId: v.clientId ?? '',
          scopes: v.scopes,
          extra: { principal, ip: req.socket.remoteAddress ?? null },
        };
        node(req, res).catch((err: unknown) => opts.log('management MCP request failed', err));
      },
      (err: unknown) =>
        sendError(res, new GatehouseError('GATEHOUSE_INVALID_TOKEN', err instanceof Error ? err.message : undefined), requestId, {
          'www-authenticate': challenge('invalid_token'),
        }),
    );
  };
}
