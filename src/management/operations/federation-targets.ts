import type { Kysely } from 'kysely';
import type { ResolveVirtual, UpstreamTarget } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import type { SecretBox } from '../../store/secret-box.js';
import { openMcpServerHeaders } from './mcp-servers.js';
import { repos } from './repos.js';

/**
 * Resolves a virtual MCP server by slug from the store, with its upstreams' sealed headers opened:
 * what `/mcp/v/{slug}` needs per request, read fresh so a change applies on the next call on every node.
 */
export function virtualMcpResolver(db: Kysely<DB>, secrets: SecretBox): ResolveVirtual {
  return async (slug) => {
    const found = await repos.virtualMcps.getByKey(db, slug);
    if (!found) return null;
    const upstreams: UpstreamTarget[] = [];
    for (const id of found.upstreamIds) {
      const server = await repos.mcpServers.get(db, id);
      if (!server) continue;
      const headers = server.auth === 'static' ? await openMcpServerHeaders({ db, secrets }, id) : {};
      upstreams.push({ id, name: server.name, url: server.url, timeoutMs: server.timeoutMs, maxResultChars: server.maxResultChars, headers });
    }
    return { slug: found.slug, name: found.name, description: found.description, published: found.published, upstreams, tools: found.tools };
  };
}
