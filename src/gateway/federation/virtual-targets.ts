import {
  GatehouseError,
  type McpServer,
  mayReachPrivateNetwork,
  type ResolveVirtual,
  type StdioLaunch,
  type UpstreamTarget,
  type VirtualTarget,
} from '../../core/index.js';
import type { TokenCache } from '../credentials/token-cache.js';
import type { CompiledMcpServer, CompiledVirtualMcp, McpSnapshot } from '../snapshot/compile-mcp.js';
import type { PerUserServer } from './upstream-oauth.js';
import type { UserTokens } from './user-tokens.js';

/**
 * Resolves virtual MCP servers from the live snapshot (never the store). A target is built once per
 * compiled virtual server, on first use: the snapshot compiler shares the compiled entry of a
 * virtual server no change reached, so its target is kept across snapshots, and a change to one
 * server rebuilds only its own. `allowPrivateUpstreams` is the deployment's setting (GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS).
 */
export function snapshotVirtualTargets(
  current: () => McpSnapshot,
  tokens: TokenCache,
  perUser: UserTokens | null,
  allowPrivateUpstreams: boolean,
): ResolveVirtual {
  // Unknown slugs find no compiled entry and are not kept: a caller cannot grow the map with made-up names.
  const built = new WeakMap<CompiledVirtualMcp, Promise<VirtualTarget>>();
  return (slug) => {
    const found = current().virtualServers.get(slug);
    if (!found) return Promise.resolve(null);
    let target = built.get(found);
    if (!target) {
      target = targetOf(found, tokens, perUser, allowPrivateUpstreams);
      built.set(found, target);
    }
    return target;
  };
}

function targetOf(found: CompiledVirtualMcp, tokens: TokenCache, perUser: UserTokens | null, allowPrivateUpstreams: boolean): Promise<VirtualTarget> {
  const { virtual } = found;
  const failed = found.upstreams.find((u) => u.stdio instanceof GatehouseError)?.stdio;
  if (failed instanceof GatehouseError) return Promise.reject(failed);
  return Promise.resolve({
    slug: virtual.slug,
    version: virtual.version,
    name: virtual.name,
    description: virtual.description,
    published: virtual.published,
    upstreams: found.upstreams.map((u) => upstreamOf(u, tokens, perUser, allowPrivateUpstreams)),
    tools: virtual.tools,
    restTools: virtual.restTools ?? [],
    prompts: virtual.prompts ?? [],
    resources: virtual.resources ?? [],
    access: virtual.access,
    workflows: virtual.workflows ?? [],
    contextBudget: virtual.contextBudget ?? undefined,
    maxResultTokens: virtual.maxResultTokens ?? undefined,
  });
}

/** How the gateway calls one compiled upstream: its opened credentials, and its per-user side. */
function upstreamOf(compiled: CompiledMcpServer, tokens: TokenCache, perUser: UserTokens | null, allowPrivateUpstreams: boolean): UpstreamTarget {
  const dynamicHeaders = compiled.oauth2 === undefined ? undefined : tokenHeaders(compiled, tokens);
  const stdio = compiled.stdio && !(compiled.stdio instanceof GatehouseError) ? compiled.stdio : undefined;
  return upstreamTarget(compiled.server, { headers: compiled.headers, dynamicHeaders, stdio, perUserServer: compiled.perUser }, perUser, allowPrivateUpstreams);
}

/** An upstream MCP server's settings with what was opened for it (headers, a token source, a stdio launch, its per-user OAuth client). */
export interface OpenedUpstream {
  headers: Readonly<Record<string, string>>;
  dynamicHeaders?: UpstreamTarget['dynamicHeaders'] | undefined;
  stdio?: StdioLaunch | undefined;
  perUserServer: PerUserServer | null;
}

/**
 * How the gateway calls one upstream MCP server, for the data plane (from the snapshot) and the
 * management plane (from the store) alike: an `oauth_per_user` one is called as one person (`forUser`), with their token.
 * Whether it may be at an internal address is decided here, once, by mayReachPrivateNetwork.
 */
export function upstreamTarget(
  server: Pick<McpServer, 'id' | 'version' | 'name' | 'url' | 'timeoutMs' | 'maxResultChars' | 'definitionsTtlMs'> & {
    allowPrivateNetwork?: boolean | undefined;
  },
  opened: OpenedUpstream,
  perUser: UserTokens | null,
  allowPrivateUpstreams: boolean,
): UpstreamTarget {
  const base: UpstreamTarget = {
    ...(opened.dynamicHeaders ? { dynamicHeaders: opened.dynamicHeaders } : {}),
    ...(opened.stdio ? { stdio: opened.stdio } : {}),
    id: server.id,
    version: server.version,
    name: server.name,
    // A stdio server has no URL; this names it where one is shown (trace attributes).
    url: server.url ?? `stdio:${encodeURIComponent(server.name)}`,
    timeoutMs: server.timeoutMs,
    maxResultChars: server.maxResultChars,
    definitionsTtlMs: server.definitionsTtlMs ?? 60_000,
    allowPrivateNetwork: mayReachPrivateNetwork(allowPrivateUpstreams, server),
    headers: { ...opened.headers },
  };
  const perUserServer = opened.perUserServer;
  if (!perUserServer) return base;
  const refused = () =>
    Promise.reject(new GatehouseError('GATEHOUSE_MCP_CONNECT_FAILED', `Per-user connections to ${server.name} are not available on this node.`));
  return {
    ...base,
    forUser: (subject) => ({ ...base, sessionScope: `user:${subject}`, dynamicHeaders: perUser ? perUser.headers(perUserServer, subject) : refused }),
  };
}

/** The Authorization header of an `oauth_client_credentials` server: a token of its credential from the shared cache. */
function tokenHeaders(compiled: CompiledMcpServer, tokens: TokenCache): UpstreamTarget['dynamicHeaders'] {
  const auth = compiled.oauth2;
  if (!auth) {
    return () =>
      Promise.reject(
        new GatehouseError(
          'GATEHOUSE_BACKEND_TOKEN_FAILED',
          `The upstream MCP server ${compiled.server.name} names no usable oauth2_client_credentials credential.`,
        ),
      );
  }
  return async () => {
    const token = await tokens.get(auth);
    return { headers: { authorization: `Bearer ${token}` }, refused: () => tokens.invalidate(auth, token) };
  };
}
