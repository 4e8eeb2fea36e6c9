import type { Tool } from '@modelcontextprotocol/server';
import { GatehouseError, type UpstreamTarget, type VirtualTarget } from '../../core/index.js';
import type { UpstreamPool, UpstreamTools } from '../../gateway/federation/index.js';

/**
 * MCP Apps (the `io.modelcontextprotocol/ui` extension) through a virtual server. A tool links its
 * interactive view with `_meta.ui.resourceUri` (earlier drafts: the flat `_meta["ui/resourceUri"]`),
 * a `ui://` resource whose contents are HTML (`text/html;profile=mcp-app`) with `_meta.ui` (CSP,
 * domain, permissions) that the host enforces on the sandbox it renders the view in.
 *
 * A curated tool implies its UI resource: an admin who curates a tool curates what it shows, so the
 * `ui://` resource it links is listed and read through the virtual server without being curated
 * itself. Only while the tool is served (its definition the approved one): a withheld tool's link
 * serves nothing. The HTML and every `_meta` pass through untouched — a host checks the CSP and
 * domain it is given, and a view whose metadata the gateway rewrote could be refused or widened.
 *
 * URIs are not prefixed, unlike tool and prompt names. Why: a resource URI is an address, not a
 * label. Resources of a virtual server already keep their upstream URIs (curated by URI, subscribed
 * and announced in `notifications/resources/updated` by it); the tool's `resourceUri`, the resource
 * listing, the contents' own `uri`, and links the view itself may hold all name the same string,
 * and leaving it alone keeps them consistent with nothing to rewrite (the HTML included). The one
 * cost: two composed upstreams linking the very same `ui://` URI cannot both be served; the first
 * in the virtual server's order wins (an explicitly curated resource before both), as for any
 * resource URI two upstreams share.
 */

/** The `ui://` resource a tool definition links, if any (the current `_meta.ui.resourceUri`, else the older flat key). */
export function uiResourceUri(tool: Pick<Tool, '_meta'>): string | undefined {
  const meta = tool._meta;
  if (meta === null || typeof meta !== 'object') return undefined;
  const ui = (meta as Record<string, unknown>).ui;
  const nested = ui !== null && typeof ui === 'object' ? (ui as Record<string, unknown>).resourceUri : undefined;
  const uri = typeof nested === 'string' ? nested : (meta as Record<string, unknown>)['ui/resourceUri'];
  return typeof uri === 'string' && isUiUri(uri) ? uri : undefined;
}

/** Whether a URI is an MCP App's (`ui://…`), bounded as a resource URI is. */
export function isUiUri(uri: string): boolean {
  return uri.startsWith('ui://') && uri.length <= 2_000;
}

/** Whether a curated tool is served as its upstream defines it now (approved, not changed since): see `withheld` in tool-set.ts. */
function served(pin: string | undefined, defs: UpstreamTools, name: string): boolean {
  const now = defs.pins.get(name);
  return now !== undefined && pin === now;
}

/**
 * The UI resources a virtual server's curated, served tools link: URI → the upstream serving it.
 * Read from the pool's cached definitions (fetched when stale); an upstream that cannot list now
 * implies nothing (its tools are not listed either). `as` gives the upstream as the caller sees it
 * (a per-user upstream: theirs, else as last listed by anyone).
 */
export async function impliedUiResources(
  target: VirtualTarget,
  pool: UpstreamPool,
  as: (upstream: UpstreamTarget) => UpstreamTarget,
): Promise<Map<string, UpstreamTarget>> {
  const curated = target.upstreams.filter((u) => target.tools.some((t) => t.upstreamId === u.id));
  const defsOf = async (upstream: UpstreamTarget): Promise<UpstreamTools | undefined> => {
    try {
      return await pool.listTools(as(upstream));
    } catch (err) {
      if (!(err instanceof GatehouseError)) throw err;
      return upstream.forUser ? pool.cachedTools(upstream) : undefined;
    }
  };
  const defs = new Map(await Promise.all(curated.map(async (u) => [u.id, await defsOf(u).catch(() => undefined)] as const)));
  const implied = new Map<string, UpstreamTarget>();
  // In the virtual server's upstream order: the first upstream linking a URI serves it.
  for (const upstream of curated) {
    const tools = defs.get(upstream.id);
    if (!tools) continue;
    for (const t of target.tools) {
      if (t.upstreamId !== upstream.id || !served(t.pin, tools, t.name)) continue;
      const def = tools.byName.get(t.name);
      const uri = def ? uiResourceUri(def) : undefined;
      if (uri !== undefined && !implied.has(uri)) implied.set(uri, upstream);
    }
  }
  return implied;
}
