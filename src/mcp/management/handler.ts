import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, type Principal, requestIdFrom, sendError } from '../../core/index.js';
import { bearerToken, type TokenVerifier, wwwAuthenticate } from '../../identity/index.js';
import type { Executor } from '../../management/executor.js';
import { type ClientInfo, clientOfRequest } from '../kit/client-info.js';
import { createToolEndpoint } from '../kit/endpoint.js';
import { type McpLog, report } from '../kit/log.js';
import { ANSWERED, readMessage, refuse } from '../kit/read-body.js';
import { requestGuard } from '../kit/request-guard.js';
import { buildToolCatalog } from './tool-catalog.js';
import { type ManagementCaller, ToolSets } from './tool-sets.js';

export interface ManagementMcpOptions {
  executor: Executor;
  verifier: TokenVerifier;
  /** This surface's resource identifier (`…/management/mcp`): tokens must carry it as audience. */
  resource: string;
  /** The OAuth scope a token must carry, when the issuer grants scopes (the built-in one does). */
  requiredScope?: string;
  /** The admin listener's URL: browsers may call only from its origin, and Host must name it (see requestGuard). */
  publicUrl: string;
  /** Further Host names the admin listener answers to. */
  allowedHosts?: readonly string[];
  /** Whether the admin listener is bound to loopback (then Host is always checked, against DNS rebinding). */
  loopbackListener: boolean;
  maxBodyBytes?: number;
  /** Whether tools/list and tools/call take the hand-written hot path (default) or the SDK's server (GATEHOUSE_FAST_PATHS=off). */
  fastPaths?: boolean;
  log: McpLog;
}

const SERVER_INFO = { name: 'gatehouse-management', version: '1' };
const SESSION_PREFIX = 'ghmgmt1.';

/** The audit entry's client application: the OAuth client, and the MCP client's name and version when it gave them. */
function clientApp(oauthClient: string | null, mcp: ClientInfo | null): string | null {
  if (!mcp) return oauthClient;
  const named = `${mcp.name}${mcp.version ? ` ${mcp.version}` : ''}`;
  return oauthClient ? `${oauthClient} (${named})` : named;
}

/**
 * `/management/mcp`: the management plane as MCP tools. Authenticates the bearer token for this
 * resource before any MCP processing, reads the caller's grants once, and serves both protocol
 * eras statelessly from the tool set of the caller's role (built once per role, not per request).
 */
export function createManagementMcp(opts: ManagementMcpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBody = opts.maxBodyBytes ?? 1_048_576;
  const guard = requestGuard({ publicUrl: opts.publicUrl, allowedHosts: opts.allowedHosts ?? [], loopbackListener: opts.loopbackListener });
  const toolSets = new ToolSets(buildToolCatalog(opts.executor.registry), opts.executor);
  const endpoint = createToolEndpoint<ManagementCaller>({ serverInfo: SERVER_INFO, maxBodyBytes: maxBody, log: opts.log, fastPaths: opts.fastPaths !== false });
  const challenge = (error?: 'invalid_token' | 'insufficient_scope', description?: string) =>
    wwwAuthenticate(opts.resource, {
      ...(opts.requiredScope ? { scope: opts.requiredScope } : {}),
      ...(error ? { error } : {}),
      ...(description ? { description } : {}),
    });

  async function serve(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const refused = guard(req);
    if (refused) return refuse(req, res, refused, requestId);
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      return refuse(req, res, new GatehouseError('GATEHOUSE_UNAUTHENTICATED', 'A bearer token for the management MCP is required.'), requestId, {
        'www-authenticate': challenge(),
      });
    }
    let verified: Awaited<ReturnType<TokenVerifier['verify']>>;
    try {
      verified = await opts.verifier.verify(token, opts.resource);
    } catch (err) {
      return refuse(req, res, new GatehouseError('GATEHOUSE_INVALID_TOKEN', err instanceof Error ? err.message : undefined), requestId, {
        'www-authenticate': challenge('invalid_token'),
      });
    }
    if (opts.requiredScope && !verified.scopes.includes(opts.requiredScope)) {
      return refuse(req, res, new GatehouseError('GATEHOUSE_FORBIDDEN', `The token lacks the ${opts.requiredScope} scope.`), requestId, {
        'www-authenticate': challenge('insufficient_scope', `requires scope ${opts.requiredScope}`),
      });
    }
    const parsed = await readMessage(req, res, maxBody, requestId);
    if (parsed === ANSWERED) return;
    const mcpClient = clientOfRequest(req, res, parsed, SESSION_PREFIX);

    const principal: Principal = {
      subject: verified.subject,
      name: verified.name,
      kind: verified.kind,
      groups: verified.groups,
      ...(verified.clientId ? { clientId: verified.clientId } : {}),
    };
    const call = {
      principal,
      channel: 'mcp' as const,
      clientApp: clientApp(verified.clientId ?? null, mcpClient),
      ip: req.socket.remoteAddress ?? null,
      requestId,
    };
    const grants = await opts.executor.grantsFor(call);
    await endpoint.serve(req, res, parsed, toolSets.for(grants), { call, grants }, verified.clientId ?? '');
  }

  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    serve(req, res, requestId).catch((err: unknown) => {
      report(opts.log, 'management MCP request failed', err);
      if (!res.headersSent) sendError(res, new GatehouseError('GATEHOUSE_INTERNAL'), requestId);
      else res.destroy();
    });
  };
}
