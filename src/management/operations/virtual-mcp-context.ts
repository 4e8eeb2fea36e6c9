import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { GatehouseError, Id, servedName } from '../../core/index.js';
import { byName, countContext, countTokens, curatedDefinition, SEARCH_MODE_TOOLS, TOKENIZER, type UpstreamTools } from '../../gateway/federation/index.js';
import { defineOperation } from '../operation.js';
import { mustGet } from './crud.js';
import { repos } from './repos.js';
import { storedRestTools } from './rest-tool-definitions.js';
import { type FederationClients, type FetchedDefinitions, prepareStates } from './virtual-mcp-pins.js';

/**
 * What a virtual server's tool listing costs a model, in tokens: read from the upstreams'
 * definitions now (as tool-status reads them) and the REST tools' stored contracts, listed as the
 * server lists them to a client that declares no server-to-client capabilities (curated, approved,
 * renamed, described and annotated as curated, the REST tools among them, in name order), and
 * search mode's listing (the same definitions clients get).
 */
const ContextView = z.object({
  /** The encoding of every count (see token-count.ts). */
  tokenizer: z.literal(TOKENIZER),
  contextBudget: z.number().int().nullable(),
  maxResultTokens: z.number().int().nullable(),
  /** The full `tools/list` result's tokens (its JSON as sent). */
  listingTokens: z.number().int(),
  /** Whether clients get search mode: the full listing is over the budget. */
  searchMode: z.boolean(),
  /** Search mode's `tools/list` result's tokens: what a client is shown instead when over the budget. */
  searchModeListingTokens: z.number().int(),
  /** Each served tool's definition, largest first: where trimming a description or dropping a tool saves most. */
  tools: z.array(z.object({ name: z.string(), tokens: z.number().int() })),
  /**
   * Curated tools not in the listing now (withheld until approved, missing upstream, or their
   * upstream unreachable), and REST tools whose operation is not published or exposed to MCP, or
   * whose name an upstream tool has.
   */
  notListed: z.number().int(),
});

/**
 * The served listing from fetched definitions and the REST tools' stored contracts: what
 * tool-set.ts's listingOf and withRest make of them for a client without relay capabilities.
 */
async function listingFrom(
  db: Parameters<typeof storedRestTools>[0],
  vmcp: {
    restTools: Parameters<typeof storedRestTools>[1];
    tools: ReadonlyArray<{
      upstreamId: string;
      name: string;
      rename?: string | undefined;
      description?: string | undefined;
      pin?: string | undefined;
      annotations?: object | undefined;
    }>;
  },
  defs: FetchedDefinitions,
  names: ReadonlyMap<string, string>,
): Promise<{ tools: Tool[]; notListed: number }> {
  const composed = names.size > 1;
  const tools: Tool[] = [];
  let notListed = 0;
  // An upstream tool keeps a name a REST tool also has, listed or not (as routesOf names every curated tool).
  const taken = new Set(vmcp.tools.flatMap((t) => (names.has(t.upstreamId) ? [servedName(names.get(t.upstreamId)!, t.rename ?? t.name, composed)] : [])));
  for (const t of vmcp.tools) {
    const found = defs.get(t.upstreamId)?.tools;
    const upstream = found instanceof GatehouseError ? undefined : (found as UpstreamTools | undefined);
    const def = upstream?.byName.get(t.name);
    if (!def || t.pin === undefined || upstream?.pins.get(t.name) !== t.pin) {
      notListed++;
      continue;
    }
    tools.push(curatedDefinition(def, servedName(names.get(t.upstreamId) ?? t.upstreamId, t.rename ?? t.name, composed), t));
  }
  const rest = await storedRestTools(db, vmcp.restTools, (name) => taken.has(name));
  tools.push(...rest);
  notListed += vmcp.restTools.length - rest.length;
  tools.sort(byName);
  return { tools, notListed };
}

export const virtualMcpContextOperation = (clients: FederationClients) =>
  defineOperation({
    name: 'virtual-mcps.context',
    resource: 'virtual-mcps',
    action: 'context',
    summary:
      'Count the tokens (o200k_base) of what a virtual MCP server lists to clients: the whole tools/list result and each tool definition, against its context budget (over it, clients get search mode)',
    permission: 'read',
    input: z.strictObject({ id: Id }),
    output: ContextView,
    http: { method: 'GET', path: '/virtual-mcps/{id}/context' },
    prepare: (input, ctx) => prepareStates(clients, ctx, input.id),
    handler: async (ctx, input, defs: FetchedDefinitions) => {
      const vmcp = await mustGet(repos.virtualMcps, ctx, input.id, 'virtual MCP server');
      const servers = (await Promise.all(vmcp.upstreamIds.map((id) => repos.mcpServers.get(ctx.db, id)))).flatMap((s) => (s ? [[s.id, s.name] as const] : []));
      const { tools, notListed } = await listingFrom(ctx.db, vmcp, defs, new Map(servers));
      const listJson = JSON.stringify({ tools });
      const counts = await countContext(tools, listJson, undefined);
      const budget = vmcp.contextBudget ?? null;
      return {
        tokenizer: TOKENIZER,
        contextBudget: budget,
        maxResultTokens: vmcp.maxResultTokens ?? null,
        listingTokens: counts.listingTokens,
        searchMode: budget !== null && counts.listingTokens > budget,
        searchModeListingTokens: await countTokens(JSON.stringify({ tools: SEARCH_MODE_TOOLS })),
        tools: counts.tools.sort((a, b) => b.tokens - a.tokens || (a.name < b.name ? -1 : 1)),
        notListed,
      };
    },
  });
