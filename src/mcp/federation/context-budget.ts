import type { Tool } from '@modelcontextprotocol/server';
import type { VirtualTarget } from '../../core/index.js';
import { CALL_TOOL, type ContextCounts, countContext, SEARCH_MODE_NAMES, SEARCH_MODE_TOOLS } from '../../gateway/federation/index.js';
import type { ToolSet } from '../kit/endpoint.js';
import { capResultTokens } from './result-tokens.js';
import { runSearchMode, searchModeListJson } from './search-mode.js';

/**
 * Counts per listing: keyed by the listing's tools array, which the tool set keeps while the
 * upstreams' definitions are the same (VirtualToolSets' listing cache), so a listing is counted
 * once per definitions version, not per request, and forgotten with it.
 */
const counted = new WeakMap<readonly Tool[], Promise<ContextCounts>>();

/** The token counts of a built tool set's listing (see countContext), computed once per listing. */
export function countsOf(set: Pick<ToolSet<unknown>, 'tools' | 'listJson' | 'instructions'>): Promise<ContextCounts> {
  let found = counted.get(set.tools);
  if (!found) {
    found = countContext(set.tools, set.listJson, set.instructions);
    counted.set(set.tools, found);
  }
  return found;
}

/**
 * A virtual server's tool set within its context budget: unchanged without `contextBudget` or
 * `maxResultTokens` (the tokenizer is then never loaded). Over the budget its list shows the
 * search-mode tools (search-mode.ts); search mode's tools are callable whenever a budget is set,
 * since a call carries no listing to decide by. Real tools stay callable by name. With
 * `maxResultTokens`, every result's text is cut past it (result-tokens.ts).
 * `full` builds this caller's tool set with its listing (for search and describe on a call).
 */
export async function withinBudget<S>(
  target: Pick<VirtualTarget, 'contextBudget' | 'maxResultTokens'>,
  set: ToolSet<S>,
  withList: boolean,
  full: () => Promise<ToolSet<S>>,
): Promise<ToolSet<S>> {
  const budget = target.contextBudget;
  const maxTokens = target.maxResultTokens;
  if (budget === undefined && maxTokens === undefined) return set;
  const direct: ToolSet<S>['call'] =
    maxTokens === undefined
      ? (state, name, args, stream) => set.call(state, name, args, stream)
      : async (state, name, args, stream) => capResultTokens(await set.call(state, name, args, stream), maxTokens);
  const searchable = budget !== undefined;
  const over = searchable && withList && (await countsOf(set)).listingTokens > budget;
  const listed = async () => (withList ? set.tools : (await full()).tools);
  // A curated tool of the same name wins over search mode's.
  const searchTool = (name: string) => searchable && SEARCH_MODE_NAMES.has(name) && !set.has(name);
  const streams = set.streams;
  return {
    ...set,
    ...(over ? { tools: SEARCH_MODE_TOOLS, listJson: searchModeListJson(set.listMeta) } : {}),
    has: (name) => set.has(name) || searchTool(name),
    // For a caller whose calls may run on a stream (it answers server-to-client requests), call_tool
    // runs on one too: the tool it calls may ask that caller something, as when called by name.
    ...(streams ? { streams: (name: string) => (searchTool(name) ? name === CALL_TOOL : streams(name)) } : {}),
    call: (state, name, args, stream) => (searchTool(name) ? runSearchMode(name, args, listed, direct, state, stream) : direct(state, name, args, stream)),
  };
}
