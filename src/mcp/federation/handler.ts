import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY } from '@modelcontextprotocol/server';
import { GatehouseError, type ResolveVirtual, requestIdFrom, sendError } from '../../core/index.js';
import { protectedResourceMetadata, type VerifiedToken, wwwAuthenticate } from '../../identity/index.js';
import { createToolEndpoint } from '../kit/endpoint.js';
import { declaresUrlElicitation } from '../kit/held-call.js';
import { type McpLog, report } from '../kit/log.js';
import { isPlain } from '../kit/protocol.js';
import { ANSWERED, readMessage, refuse } from '../kit/read-body.js';
import { requestGuard } from '../kit/request-guard.js';
import { traceContextOf } from '../kit/trace-context.js';
import type { Gateway, McpAdmit } from '../../gateway/index.js';
import { isLogLevel, type LogLevel, type UpstreamPool } from '../../gateway/federation/index.js';

import { CallerStreams } from './caller-streams.js';
import { sessionGuard } from './session-guard.js';
import { InFlightCalls } from './in-flight.js';
import { type DownstreamSession, DownstreamSessions, declaredCapabilities } from './downstream-session.js';
import { CallerListenBus, listenedUris, MAX_LISTENED_URIS, MAX_LISTENS_PER_CALLER } from './listen-bus.js';
import { isResponse, PendingAnswers } from './pending-answers.js';
import { loggedApart } from './method-entry.js';
import { type FederationCaller, VirtualToolSets } from './tool-set.js';

export interface VirtualMcpOptions {
  /** The virtual servers, for the metadata a client discovers from a 401 (a published server's name). */
  resolve: ResolveVirtual;
  /** The pipeline's identify and access steps: the verified caller and its server, or the refusal to answer with. */
  admit: McpAdmit<VerifiedToken>;
  /** Connected upstream clients and their cached tool definitions, shared by every request. */
  pool: UpstreamPool;
  /** The pipeline's entries: federated calls and requests, and for REST tools the catalog, a person's profiles and the REST door. */
  gateway: Pick<Gateway, 'mcpCall' | 'mcpResult' | 'mcpRelayGuard' | 'mcpRequest' | 'catalog' | 'personIdentities' | 'execute'>;
  /** The authorization server the protected-resource metadata names. */
  issuer: string;
  /** The proxy listener's URL; a virtual server's resource identifier is `<publicUrl>/mcp/v/<slug>`. */
  publicUrl: string;
  allowedOrigins?: readonly string[];
  allowedHosts?: readonly string[];
  loopbackListener: boolean;
  maxBodyBytes?: number;
  /** Whether tools/list and tools/call take the hand-written hot path (default) or the SDK's server (GATEHOUSE_FAST_PATHS=off). */
  fastPaths?: boolean;
  log: McpLog;
  /**
   * Signs 2025-era callers' session ids (the same on every node, derived from the secret box): with
   * it, a caller's `initialize` gets an `Mcp-Session-Id` carrying the capabilities it declared, so
   * tools that ask it questions (sampling, elicitation, roots) are listed and relayed for it.
   */
  sessionKey?: Buffer;
}

// `/mcp/v/{slug}/mcp` answers too: clients such as the MCP Inspector infer Streamable HTTP from a URL
// ending in `/mcp`. Its resource stays `/mcp/v/{slug}` (a path prefix of it, as RFC 9728 clients accept),
// so one token serves both URLs.
const PATH = /^\/mcp\/v\/([a-z0-9][a-z0-9-]{0,62})(?:\/mcp)?\/?$/;
const METADATA_PATH = /^\/\.well-known\/oauth-protected-resource\/mcp\/v\/([a-z0-9][a-z0-9-]{0,62})(?:\/mcp)?$/;

/** The slug of a `/mcp/v/{slug}` (or `/mcp/v/{slug}/mcp`) path, or null. */
export function virtualSlugOf(path: string): string | null {
  return PATH.exec(path)?.[1] ?? null;
}

/** The client capabilities a 2026-07-28 request declares in its `_meta`, or undefined. */
function modernCapabilities(message: unknown): unknown {
  if (!isPlain(message) || !isPlain(message.params) || !isPlain(message.params._meta)) return undefined;
  return message.params._meta[CLIENT_CAPABILITIES_META_KEY];
}

/** The level from which a 2026-07-28 request asks for log messages (SEP-2577's per-request opt-in), or undefined. */
function requestedLogLevel(message: unknown): LogLevel | undefined {
  if (!isPlain(message) || !isPlain(message.params) || !isPlain(message.params._meta)) return undefined;
  const level = message.params._meta[LOG_LEVEL_META_KEY];
  return isLogLevel(level) ? level : undefined;
}

/** A JSON-RPC error for a request the gateway could not answer (an upstream failed while listing). */
function rpcError(res: ServerResponse, id: unknown, err: GatehouseError): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error: { code: -32603, message: `${err.code}: ${err.message}`, data: { code: err.code } } });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * `/mcp/v/{slug}`: a virtual MCP server. The bearer token must be issued for this virtual
 * server's own URL (it is never passed upstream); the caller sees only the curated tools, and each
 * call goes to the upstream with the gateway's credentials for it. Stateless, on any node.
 */
export function createVirtualMcp(opts: VirtualMcpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBody = opts.maxBodyBytes ?? 1_048_576;
  const base = opts.publicUrl.replace(/\/+$/, '');
  const guard = requestGuard({
    publicUrl: opts.publicUrl,
    allowedOrigins: opts.allowedOrigins ?? [],
    allowedHosts: opts.allowedHosts ?? [],
    loopbackListener: opts.loopbackListener,
  });
  const answers = new PendingAnswers();
  const toolSets = new VirtualToolSets(opts.pool, opts.gateway, answers, opts.sessionKey);
  const sessions = opts.sessionKey ? new DownstreamSessions(opts.sessionKey) : null;
  const streams = new CallerStreams(opts.pool);
  const inFlight = new InFlightCalls();
  // 2026-07-28 callers hear changes on their listen streams (subscriptions/listen), each its own (CallerListenBus); 2025-era ones on their event stream (CallerStreams).
  const bus = new CallerListenBus<FederationCaller>(opts.pool, opts.log);
  const endpoint = createToolEndpoint<FederationCaller>({
    serverInfo: { name: 'gatehouse-virtual-mcp', version: '1' },
    listChanged: true,
    maxBodyBytes: maxBody,
    log: opts.log,
    bus,
    fastPaths: opts.fastPaths !== false,
  });

  /** The metadata an MCP client discovers from the 401: a published server's resource and its authorization server. */
  async function metadata(res: ServerResponse, slug: string, requestId: string): Promise<void> {
    const target = await opts.resolve(slug);
    if (!target?.published) return sendError(res, new GatehouseError('GATEHOUSE_NOT_FOUND', `No MCP server ${slug}.`), requestId);
    const body = JSON.stringify(protectedResourceMetadata(`${base}/mcp/v/${slug}`, [opts.issuer], undefined, target.name));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=60', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function serve(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const metadataSlug = METADATA_PATH.exec((req.url ?? '/').split('?')[0] ?? '/')?.[1];
    if (metadataSlug !== undefined) return metadata(res, metadataSlug, requestId);
    const refused = guard(req);
    if (refused) return refuse(req, res, refused, requestId);
    const slug = virtualSlugOf((req.url ?? '/').split('?')[0] ?? '/');
    if (slug === null) return refuse(req, res, new GatehouseError('GATEHOUSE_ROUTE_NOT_FOUND'), requestId);
    const resource = `${base}/mcp/v/${slug}`;
    const admission = await opts.admit({ headers: req.headers, peer: req.socket.remoteAddress, slug, resource });
    if (!admission.admitted) {
      const challenge = admission.challenge ? { 'www-authenticate': wwwAuthenticate(resource, admission.challenge) } : undefined;
      return refuse(req, res, admission.error, requestId, challenge);
    }
    const { principal: verified, target } = admission;
    const clientId = verified.clientId ?? '';
    const subject = `${verified.kind}:${verified.subject}`;
    const sessionId = req.headers['mcp-session-id'];
    let session: DownstreamSession | null = null;
    if (sessions && typeof sessionId === 'string') {
      session = sessions.read(sessionId, subject, slug);
      // The transport specification's answer to a session the server does not know: the client initializes again.
      if (!session)
        return refuse(req, res, new GatehouseError('GATEHOUSE_NOT_FOUND', 'This MCP session is unknown or has expired; initialize again.'), requestId);
    }
    if (session && req.method === 'DELETE' && typeof sessionId === 'string') {
      sessions?.end(sessionId, session);
      res.writeHead(204).end();
      return;
    }
    if (session && req.method === 'GET' && (req.headers.accept ?? '').includes('text/event-stream')) {
      try {
        const listener = {
          requestId,
          subject,
          actor: verified.actor ? `service:${verified.actor}` : null,
          ip: admission.ip,
          userAgent: req.headers['user-agent'] ?? null,
          trace: null,
        };
        return streams.open(res, target, subject, (upstream) => sessionGuard(opts.gateway, target, upstream, listener));
      } catch (err) {
        if (err instanceof GatehouseError) return refuse(req, res, err, requestId);
        throw err;
      }
    }
    const parsed = await readMessage(req, res, maxBody, requestId);
    if (parsed === ANSWERED) return;
    if (isResponse(parsed)) {
      // A caller answering a request relayed from an upstream: it goes to the call that waits for it (on this node).
      if (!answers.answer(subject, parsed)) {
        return refuse(
          req,
          res,
          new GatehouseError('GATEHOUSE_NOT_FOUND', 'No request of this node awaits this answer (answered, timed out, or asked by another node).'),
          requestId,
        );
      }
      res.writeHead(202).end();
      return;
    }
    const method = isPlain(parsed) ? parsed.method : undefined;
    const downstreamSession = typeof sessionId === 'string' ? sessionId : undefined;
    // A caller cancelling a call of its own that runs on this node: the call's upstream request is cancelled (see InFlightCalls).
    if (method === 'notifications/cancelled' && inFlight.cancel(subject, downstreamSession, parsed)) {
      res.writeHead(202).end();
      return;
    }
    if (sessions && method === 'initialize' && isPlain(parsed) && isPlain(parsed.params)) {
      res.setHeader('mcp-session-id', sessions.issue(subject, slug, declaredCapabilities(parsed.params.capabilities)));
    }
    // A 2026-07-28 caller declares its capabilities on each request; a 2025-era one at initialize (its session carries them).
    const relay = session?.caps ?? declaredCapabilities(modernCapabilities(parsed));
    const era = modernCapabilities(parsed) === undefined ? 'legacy' : 'modern';
    const logLevel = era === 'modern' ? requestedLogLevel(parsed) : undefined;
    let tools: Awaited<ReturnType<VirtualToolSets['build']>>;
    try {
      const instructions = method === 'initialize' || method === 'server/discover' ? await toolSets.instructions(target) : undefined;
      tools = await toolSets.build(
        target,
        method === 'tools/list',
        verified.kind === 'user' ? verified.subject : null,
        relay,
        instructions,
        era,
        logLevel !== undefined,
      );
    } catch (err) {
      if (err instanceof GatehouseError && isPlain(parsed)) return rpcError(res, parsed.id, err);
      throw err;
    }
    const inCall = method === 'tools/call' && isPlain(parsed) ? inFlight.start(subject, downstreamSession, parsed.id) : undefined;
    // On 2026-07-28 a caller cancels a call by closing its request's stream; on the 2025 revisions a
    // disconnection is not a cancellation (the caller sends notifications/cancelled).
    if (inCall && era === 'modern') res.once('close', () => (res.writableFinished ? undefined : inCall.abort()));
    const caller: FederationCaller = {
      requestId,
      subject,
      actor: verified.actor ? `service:${verified.actor}` : null,
      userId: verified.kind === 'user' ? verified.subject : null,
      // A user by id or username; a service account by id or client id (its name could be a user's username).
      names: verified.kind === 'user' ? [verified.subject, verified.name] : [verified.subject, ...(verified.clientId ? [verified.clientId] : [])],
      ip: admission.ip,
      userAgent: req.headers['user-agent'] ?? null,
      trace: traceContextOf(req, parsed),
      urlElicitation: declaresUrlElicitation(parsed),
      era,
      relay,
      ...(inCall ? { signal: inCall.signal } : {}),
      ...(logLevel ? { logLevel } : {}),
      judged: [],
    };
    let served = () => endpoint.serve(req, res, parsed, tools, caller, clientId);
    if (method === 'subscriptions/listen') {
      const uris = listenedUris(parsed);
      if (uris.length > MAX_LISTENED_URIS)
        return rpcError(
          res,
          isPlain(parsed) ? parsed.id : null,
          new GatehouseError('GATEHOUSE_BAD_REQUEST', `A listen stream subscribes to at most ${MAX_LISTENED_URIS} resources.`),
        );
      if (bus.openBy(subject, slug) >= MAX_LISTENS_PER_CALLER)
        return rpcError(
          res,
          isPlain(parsed) ? parsed.id : null,
          new GatehouseError('GATEHOUSE_RATE_LIMITED', 'Too many listen streams are open; close one first.'),
        );
      const serve = served;
      served = () => bus.within({ target, caller, uris, ...(tools.subscribe ? { subscribe: tools.subscribe } : {}) }, serve);
    }
    if (inCall) {
      const serve = served;
      served = () => serve().finally(inCall.done);
    }
    if (!loggedApart(method)) return served();
    const startedAt = Date.now();
    const tick = performance.now();
    await served();
    const bytesIn = Number(req.headers['content-length'] ?? 0) || 0;
    // A listing served is counted in tokens (token-cost analytics).
    const listJson = method === 'tools/list' && res.statusCode === 200 ? tools.listJson : undefined;
    opts.gateway.mcpRequest({ server: slug, method, caller, startedAt, latencyMs: performance.now() - tick, status: res.statusCode, bytesIn, listJson });
  }

  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    serve(req, res, requestId).catch((err: unknown) => {
      report(opts.log, 'virtual MCP request failed', err);
      if (!res.headersSent) sendError(res, new GatehouseError('GATEHOUSE_INTERNAL'), requestId);
      else res.destroy();
    });
  };
}
