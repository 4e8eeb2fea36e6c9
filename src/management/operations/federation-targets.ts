import type { Kysely } from 'kysely';
import type { ResolveVirtual, UpstreamTarget, VirtualTarget } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { ChangeCache } from '../../store/change-cache.js';
import type { StoredResource } from '../../store/repositories/resources.js';
import type { ChangeFeed } from '../../store/change-feed.js';
import type { SecretBox } from '../../store/secret-box.js';
import { openMcpServerHeaders } from './mcp-servers.js';
import { repos, type StoredMcpServer } from './repos.js';

/**
 * Resolves a virtual MCP server by slug from the store, with its upstreams' sealed headers opened:
 * what `/mcp/v/{slug}` needs per request. Kept until the next config change, so a change applies
 * on the next call on this node and, through the change feed, on every node.
 */
export function virtualMcpResolver(db: Kysely<DB>, secrets: SecretBox, changes: ChangeFeed): ResolveVirtual & { close(): void } {
  const cache = new ChangeCache<VirtualTarget | null>(changes, (slug) => readVirtual(db, secrets, slug));
  return Object.assign((slug: string) => cache.get(slug), { close: () => cache.close() });
}

async function readVirtual(db: Kysely<DB>, secrets: SecretBox, slug: string): Promise<VirtualTarget | null> {
  const found = await repos.virtualMcps.getByKey(db, slug);
  if (!found) return null;
  const upstreams: UpstreamTarget[] = [];
  for (const id of found.upstreamIds) {
    const server = await repos.mcpServers.get(db, id);
    if (server) upstreams.push(await upstreamTargetOf(db, secrets, server));
  }
  return { slug: found.slug, version: found.version, name: found.name, description: found.description, published: found.published, upstreams, tools: found.tools };
}

/** How the gateway calls a stored upstream MCP server: its settings with its credentials opened. */
export async function upstreamTargetOf(db: Kysely<DB>, secrets: SecretBox, server: StoredResource<StoredMcpServer>): Promise<UpstreamTarget> {
  const headers = server.auth === 'static' ? await openMcpServerHeaders({ db, secrets }, server.id) : {};
  return {
    id: server.id,
    version: server.version,
    name: server.name,
    url: server.url,
    timeoutMs: server.timeoutMs,
    maxResultChars: server.maxResultChars,
    definitionsTtlMs: server.definitionsTtlMs ?? 60_000,
    headers,
  };
}
