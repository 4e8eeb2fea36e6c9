import { GatehouseError, mayAccess, type ResolveVirtual, type VirtualMcpCaller, type VirtualTarget } from '../../core/index.js';
import { bearerOf } from '../auth/credential-header.js';
import type { HeaderMap } from '../net/header-map.js';
import type { McpSnapshot } from '../snapshot/compile-mcp.js';

/** Verifies a bearer token for one resource (the node's token verifier); throws when the token is not good for it. */
export interface McpTokenVerifier<P extends VirtualMcpCaller> {
  verify(token: string, resource: string): Promise<P>;
}

/** What a 401's `WWW-Authenticate` adds to the resource's metadata (RFC 6750 §3): the error, when a token was presented. */
export interface McpChallenge {
  error?: 'invalid_token';
}

/** The identify and access steps' answer for one request to a virtual server: who calls and which server, or why not. */
export type McpAdmission<P extends VirtualMcpCaller> =
  | { readonly admitted: true; readonly principal: P; readonly target: VirtualTarget; readonly ip: string | null }
  | { readonly admitted: false; readonly error: GatehouseError; readonly challenge: McpChallenge | null };

/** One request to `/mcp/v/{slug}`: its headers, socket peer, the server it names and that server's resource identifier. */
export interface McpAdmitRequest {
  headers: HeaderMap;
  peer: string | null | undefined;
  slug: string;
  resource: string;
}

/** The admit step a virtual-server adapter runs once per HTTP request, before it reads the body. */
export type McpAdmit<P extends VirtualMcpCaller> = (request: McpAdmitRequest) => Promise<McpAdmission<P>>;

/** What admitting needs: the token verifier and virtual servers of the node, its MCP snapshot, and how it finds a caller's address. */
export interface McpAdmitDeps<P extends VirtualMcpCaller> {
  verifier: McpTokenVerifier<P>;
  resolve: ResolveVirtual;
  mcp: () => McpSnapshot;
  ip: (headers: HeaderMap, peer: string | null | undefined) => string | null;
}

function refused<P extends VirtualMcpCaller>(error: GatehouseError, challenge: McpChallenge | null = null): McpAdmission<P> {
  return { admitted: false, error, challenge };
}

/**
 * The access step for a virtual server, shared by its adapter and token exchange: a role on the
 * gateway (any account of the authorization server can get a token for the server's URL), then a
 * published server (an unpublished one answers like a missing one), then its access list.
 * Answers the server when allowed, else the refusal; a server that fails to resolve rejects, as a fault.
 */
export async function virtualServerAccess(
  mcp: McpSnapshot,
  resolve: ResolveVirtual,
  who: VirtualMcpCaller,
  slug: string,
): Promise<VirtualTarget | GatehouseError> {
  const { subjects, groups } = mcp.roleHolders;
  if (!subjects.has(who.subject) && !who.groups.some((g) => groups.has(g)))
    return new GatehouseError('GATEHOUSE_FORBIDDEN', 'Using virtual MCP servers needs a role on this gateway.');
  const target = await resolve(slug);
  if (!target?.published) return new GatehouseError('GATEHOUSE_NOT_FOUND', `No MCP server ${slug}.`);
  if (!mayAccess(target.access, who)) return new GatehouseError('GATEHOUSE_FORBIDDEN', `You are not on the access list of MCP server ${slug}.`);
  return target;
}

/** Identify → access for one request to a virtual server: a bearer token for this server's own URL (never passed upstream), then the access step. */
export async function admitMcp<P extends VirtualMcpCaller>(deps: McpAdmitDeps<P>, request: McpAdmitRequest): Promise<McpAdmission<P>> {
  const token = bearerOf(request.headers);
  if (!token) return refused(new GatehouseError('GATEHOUSE_UNAUTHENTICATED', 'A bearer token for this MCP server is required.'), {});
  let principal: P;
  try {
    principal = await deps.verifier.verify(token, request.resource);
  } catch (err) {
    return refused(new GatehouseError('GATEHOUSE_INVALID_TOKEN', err instanceof Error ? err.message : undefined), { error: 'invalid_token' });
  }
  const target = await virtualServerAccess(deps.mcp(), deps.resolve, principal, request.slug);
  if (target instanceof GatehouseError) return refused(target);
  return { admitted: true, principal, target, ip: deps.ip(request.headers, request.peer) };
}
