import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { GatehouseError } from '../../core/index.js';
import { CALL_TOOL, DEFAULT_HITS, DESCRIBE_TOOL, MAX_HITS, SEARCH_MODE_NAMES, SEARCH_MODE_TOOLS } from '../../gateway/federation/index.js';
import type { CallStream, ToolSet } from '../kit/endpoint.js';
import { toolSearchOf } from './tool-search.js';

/**
 * Search mode: what a virtual server over its context budget lists instead of its tools. Three
 * fixed tools whose listing costs a few hundred tokens whatever the server holds; the model finds
 * a tool by intent, reads its definition, and calls it by name. A call through `call_tool` is the
 * listed tool's own call (the same `ToolSet.call`), so curation, approval pins, per-tool limits,
 * workflows and guardrails, held calls and the request log apply as to a direct call.
 */

/** Serialized once: a listing is sent as is on every tools/list (see ToolSet.listJson). */
const LIST_JSON = JSON.stringify({ tools: SEARCH_MODE_TOOLS });

/** The search-mode `tools/list` result, with the full listing's `_meta` (which upstreams were left out) kept. */
export function searchModeListJson(listMeta: Record<string, unknown> | undefined): string {
  return listMeta ? JSON.stringify({ tools: SEARCH_MODE_TOOLS, _meta: listMeta }) : LIST_JSON;
}

function answer(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

function refusal(err: GatehouseError): CallToolResult {
  const error = { code: err.code, message: err.message };
  return { content: [{ type: 'text', text: JSON.stringify({ error }) }], structuredContent: { error }, isError: true };
}

/**
 * Runs one search-mode tool. `listed` is the server's full listing for this caller (the tools it
 * would list without a budget: a tool withheld or not curated is neither found nor described);
 * `direct` is the tool set's own call.
 */
export async function runSearchMode<S>(
  name: string,
  args: Record<string, unknown>,
  listed: () => Promise<readonly Tool[]>,
  direct: ToolSet<S>['call'],
  state: S,
  stream: CallStream | undefined,
): Promise<CallToolResult> {
  if (name === CALL_TOOL) {
    const tool = args.name;
    if (typeof tool !== 'string' || tool === '') return refusal(new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'call_tool needs the name of a tool.'));
    // Search mode's own tools are not reachable through it (no call_tool of call_tool).
    if (SEARCH_MODE_NAMES.has(tool)) return refusal(new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `${tool} is called directly, not through call_tool.`));
    const inner = args.arguments ?? {};
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner))
      return refusal(new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'call_tool: arguments must be an object.'));
    return direct(state, tool, inner as Record<string, unknown>, stream);
  }
  const tools = await listed();
  if (name === DESCRIBE_TOOL) {
    const found = typeof args.name === 'string' ? tools.find((t) => t.name === args.name) : undefined;
    if (!found)
      return refusal(
        new GatehouseError('GATEHOUSE_NOT_FOUND', `No tool ${String(args.name).slice(0, 100)} on this server; search_tools finds tools by intent.`),
      );
    return answer(found as unknown as Record<string, unknown>);
  }
  const query = args.query;
  if (typeof query !== 'string' || query.trim() === '') return refusal(new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'search_tools needs a query.'));
  const limit = typeof args.limit === 'number' && Number.isInteger(args.limit) ? Math.min(MAX_HITS, Math.max(1, args.limit)) : DEFAULT_HITS;
  const hits = toolSearchOf(tools).search(query.slice(0, 1_000), limit);
  return answer({ tools: hits, of: tools.length });
}
