import type { Tool } from '@modelcontextprotocol/server';
import type { Kysely } from 'kysely';
import { Endpoint, expandEndpointSchemas, type RestTool, SHARED_SCHEMA_REF } from '../../core/index.js';
import { findOperation, type OperationLookup, restToolOfDocument, restWithheld } from '../../gateway/federation/index.js';
import { catalogPath } from '../../gateway/index.js';
import type { DB } from '../../store/schema.js';
import { repos } from './repos.js';

type StoredEndpoint = Awaited<ReturnType<typeof repos.endpoints.all>>[number];

/** A stored endpoint as the catalog lists it: its proxy's base path and shared schemas, and its collection's slug. */
interface Listed {
  row: StoredEndpoint;
  path: string;
  slug: string;
  shared: Record<string, unknown> | undefined;
}

/**
 * The published, MCP-exposed endpoints in the store, looked up as the served catalog looks up a
 * REST tool's operation (findOperation): the same endpoints the node's catalog holds once the
 * snapshot has caught up with the store.
 */
async function storedLookup(db: Kysely<DB>): Promise<OperationLookup<Listed>> {
  const published = new Map((await repos.collections.all(db)).filter((c) => c.published).map((c) => [c.id, c.slug]));
  const byId = new Map<string, Listed>();
  const byRoute = new Map<string, Listed>();
  const all: Listed[] = [];
  for (const proxy of await repos.proxies.all(db)) {
    const slug = published.get(proxy.collectionId);
    if (slug === undefined) continue;
    for (const row of await repos.endpoints.all(db, { parentId: proxy.id })) {
      if (row.mcpExposed === false) continue;
      const listed = { row, path: catalogPath(proxy.basePath, row.path), slug, shared: proxy.schemas as Record<string, unknown> | undefined };
      all.push(listed);
      byId.set(row.id, listed);
      byRoute.set(`${row.method} ${listed.path}`, listed);
    }
  }
  return {
    byId: (id) => byId.get(id),
    byRoute: (route) => byRoute.get(route),
    byOperationId: (operationId, slug) => all.filter((e) => e.row.operationId === operationId && (slug === null || e.slug === slug)),
  };
}

/** A REST tool resolved against the stored endpoints: its definition as served, and its operation's contract now (see restContract). */
export interface StoredRestTool {
  spec: RestTool;
  tool: Tool;
  contract: { definition: Tool; pin: string };
}

/**
 * A virtual server's REST tools against the stored endpoints, by name: as mcp/federation/rest-tools.ts
 * resolves them against the served catalog. An operation not published or not exposed has none.
 */
export async function resolveStoredRestTools(db: Kysely<DB>, specs: readonly RestTool[]): Promise<Map<string, StoredRestTool>> {
  const out = new Map<string, StoredRestTool>();
  if (specs.length === 0) return out;
  const lookup = await storedLookup(db);
  for (const spec of specs) {
    const found = findOperation(lookup, spec.operation);
    if (!found) continue;
    const { id, version, createdAt, updatedAt } = found.row;
    let doc = Endpoint.parse({ ...found.row, id, version, createdAt, updatedAt });
    // Shared schemas expanded as the snapshot's endpoint documents expand them.
    if (found.shared && JSON.stringify(found.row).includes(SHARED_SCHEMA_REF)) doc = expandEndpointSchemas(doc, found.shared);
    out.set(spec.name, { spec, ...restToolOfDocument(spec, doc, found.path) });
  }
  return out;
}

/**
 * A virtual server's REST tool definitions from the stored endpoints, as a client is listed them:
 * an operation not published or not exposed is left out, so is a name an upstream tool already has
 * (`taken`), and so is a tool whose contract is not the approved one (see restWithheld).
 */
export async function storedRestTools(db: Kysely<DB>, specs: readonly RestTool[], taken: (name: string) => boolean): Promise<Tool[]> {
  const resolved = await resolveStoredRestTools(
    db,
    specs.filter((s) => !taken(s.name)),
  );
  return [...resolved.values()].filter((r) => restWithheld(r.spec, r.contract.pin) === null).map((r) => r.tool);
}
